import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createWeComRobotHarness } from './testing/wecom-robot-harness';

describeChannelContract('wecom (group robot)', createWeComRobotHarness());
