import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createSlackChannelHarness } from './slack-channel-harness';

describeChannelContract('slack (Socket Mode)', createSlackChannelHarness('socket'));
describeChannelContract('slack (Events API)', createSlackChannelHarness('events'));
