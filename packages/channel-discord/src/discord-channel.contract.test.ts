import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createDiscordChannelHarness } from './testing/discord-channel-harness';

describeChannelContract('discord', createDiscordChannelHarness());
