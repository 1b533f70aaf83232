import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeDingTalkServer, type FakeDingTalkServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createDingTalkApi } from './dingtalk-api';
import { createDingTalkOapi } from './dingtalk-oapi';
import { createDingTalkOutbound } from './dingtalk-outbound';

describe('DingTalk outbound routes', () => {
  let fake: FakeDingTalkServer;
  afterEach(async () => fake.close());

  it('remembers at most 1000 chats: the oldest chat forgets its session webhook and is answered through the API', async () => {
    fake = await createFakeDingTalkServer();
    const clock = createManualClock(Date.now());
    const settings = { fetch: globalThis.fetch, clock };
    const credentials = { clientId: fake.clientId, clientSecret: fake.clientSecret };
    const api = createDingTalkApi({ ...settings, ...credentials, apiBaseUrl: fake.url });
    const oapi = createDingTalkOapi({ ...settings, ...credentials, oapiBaseUrl: fake.url });
    const outbound = createDingTalkOutbound({
      ...settings,
      api,
      oapi,
      robotCode: fake.robotCode,
      sessionWebhookOrigins: [fake.url],
    });
    const first = fake.injectMessage({ senderStaffId: 'staff0', text: 'x' });
    outbound.learn('staff0', {
      isGroup: false,
      sessionWebhook: { url: first.sessionWebhook, expiresAt: first.sessionWebhookExpiredTime },
    });
    const last = fake.injectMessage({ senderStaffId: 'staff1000', text: 'x' });
    for (let index = 1; index <= 1000; index += 1) {
      outbound.learn(`staff${index}`, {
        isGroup: false,
        sessionWebhook: { url: last.sessionWebhook, expiresAt: last.sessionWebhookExpiredTime },
      });
    }
    await outbound.send({ channel: 'dingtalk', chatId: 'staff0' }, { text: 'old', format: 'plain' });
    await outbound.send({ channel: 'dingtalk', chatId: 'staff1000' }, { text: 'new', format: 'plain' });
    expect(fake.sent.map(({ chatId, via }) => ({ chatId, via }))).toEqual([
      { chatId: 'staff0', via: 'api' },
      { chatId: 'staff1000', via: 'session-webhook' },
    ]);
  });
});
