import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChannelContext, type InboundMessage, silentLogger } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createWeComChannelHarness, webhookUrl } from './testing/wecom-channel-harness';

const folder = join(import.meta.dirname, '__fixtures__');
const fixtures = readdirSync(folder)
  .filter((file) => /^(message|event)-.*\.json$/.test(file))
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(join(folder, file), 'utf8')) as { xml: string; expected: object | null }),
  }));

describe('WeCom callback payloads as the platform documents them, replayed encrypted through the fake', () => {
  const harness = createWeComChannelHarness();
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  it.each(fixtures)('$file', async ({ xml, expected }) => {
    await harness.create();
    const adapter = harness.channel;
    const received: InboundMessage[] = [];
    const context: ChannelContext = {
      receive: async (message) => {
        received.push(message);
        return { dropped: 'test' };
      },
      logger: silentLogger,
      setStatus: () => undefined,
    };
    await adapter.start(context);
    const answer = await adapter.handleWebhook?.(harness.fake.callbackRequest(webhookUrl, xml));
    expect(answer?.status).toBe(200);
    expect(await answer?.text()).toBe('');
    if (expected === null) return expect(received).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      channel: 'wecom',
      kind: 'message',
      sender: { id: 'fromUser' },
      mentionsBot: false,
      ...expected,
    });
  });
});
