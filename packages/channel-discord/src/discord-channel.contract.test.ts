import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createDiscordChannelHarness } from './discord-channel-harness';

describeChannelContract('discord', createDiscordChannelHarness());
