import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createSlackChannelHarness } from './__tests__/slack-channel-harness';

describeChannelContract('slack (Socket Mode)', createSlackChannelHarness('socket'));
describeChannelContract('slack (Events API)', createSlackChannelHarness('events'));
