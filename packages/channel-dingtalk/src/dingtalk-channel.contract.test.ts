import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createDingTalkChannelHarness } from './testing/dingtalk-channel-harness';

describeChannelContract('dingtalk', createDingTalkChannelHarness());
