import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { createFeishuChannelHarness } from './testing/feishu-channel-harness';

describeChannelContract('feishu (webhook, verification token)', createFeishuChannelHarness());
describeChannelContract('feishu (webhook, encrypted and signed)', createFeishuChannelHarness({ encryptKey: 'fake-encrypt-key' }));
describeChannelContract('feishu (long connection)', createFeishuChannelHarness({ mode: 'websocket' }));
