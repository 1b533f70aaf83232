import { describeChannelContract } from '@ngb/plugin-sdk/testing/contracts';
import { describe, expect, it } from 'vitest';
import { createRelayChannel } from '../index.mjs';
import { createFakeRelay } from './fake-relay.mjs';

let relay;
let adapter;

describeChannelContract('relay', {
  async create() {
    relay = await createFakeRelay();
    adapter = createRelayChannel({ apiUrl: relay.url, token: relay.token, webhookSecret: relay.webhookSecret });
    return adapter;
  },
  async injectInbound(input) {
    const response = await adapter.handleWebhook(relay.webhookRequest(input));
    if (response.status >= 300) throw new Error(`the webhook answered ${response.status}`);
  },
  async sent() {
    return { messages: [...relay.messages], edits: [], deletions: [], typing: [], files: [] };
  },
  webhookRequest: (input, { signed }) => relay.webhookRequest(input, { signed }),
  dispose: () => relay?.close(),
  platform: { replies: false },
});

describe('the Relay channel', () => {
  it('refuses a webhook body that is not a Relay message, without calling receive', async () => {
    const fake = await createFakeRelay();
    const channel = createRelayChannel({ apiUrl: fake.url, token: fake.token, webhookSecret: fake.webhookSecret });
    const received = [];
    await channel.start({ receive: async (message) => void received.push(message), logger: console, setStatus() {} });
    const response = await channel.handleWebhook(
      new Request('http://gateway.test/channels/relay/webhook', {
        method: 'POST',
        headers: { 'x-relay-secret': fake.webhookSecret },
        body: '{"chat": 5}',
      }),
    );
    expect(response.status).toBe(400);
    expect(received).toEqual([]);
    await channel.stop();
    await fake.close();
  });

  it('names the API call the platform refused', async () => {
    const fake = await createFakeRelay();
    const channel = createRelayChannel({ apiUrl: fake.url, token: 'wrong', webhookSecret: fake.webhookSecret });
    await expect(channel.start({ receive: async () => undefined, logger: console, setStatus() {} })).rejects.toThrow(
      '[ngb-channel-relay] GET me answered 401',
    );
    await fake.close();
  });
});
