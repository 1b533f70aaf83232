import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createQQChannelHarness } from './testing/qq-channel-harness';

describeChannelContract('qq', createQQChannelHarness());
