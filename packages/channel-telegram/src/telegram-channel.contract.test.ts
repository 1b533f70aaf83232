import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createTelegramChannelHarness } from './testing/telegram-channel-harness';

describeChannelContract('telegram (long polling)', createTelegramChannelHarness('polling'));
describeChannelContract('telegram (webhook)', createTelegramChannelHarness('webhook'));
