import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createWebChannelHarness } from './web-channel-harness';

describeChannelContract('web', createWebChannelHarness());
