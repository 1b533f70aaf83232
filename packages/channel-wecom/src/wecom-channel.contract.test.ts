import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createWeComChannelHarness } from './testing/wecom-channel-harness';

describeChannelContract('wecom', createWeComChannelHarness());
