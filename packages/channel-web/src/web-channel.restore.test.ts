import type { ChannelContext, ChannelHistoryMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from './web-channel';
import { createTestContext, harnessSecret, visitorCookie } from './web-channel-harness';

interface HistoryBody {
  messages: Array<{ id: string; from: string; text: string; format: string; at: number; editedAt?: number }>;
}

const kept: ChannelHistoryMessage[] = [
  {
    platformMessageId: 'v1',
    direction: 'inbound',
    senderId: 'visitor-1',
    text: 'what is in my folder?',
    format: 'plain',
    timestamp: 1_000,
  },
  {
    platformMessageId: 'a1',
    direction: 'outbound',
    text: 'Two files: **a.txt** and b.txt',
    format: 'markdown',
    timestamp: 2_000,
  },
  {
    platformMessageId: 'v2',
    direction: 'inbound',
    senderId: 'visitor-1',
    text: 'thanks!',
    format: 'plain',
    timestamp: 3_000,
    editedAt: 3_500,
  },
];

let channel: WebChannel | undefined;
afterEach(() => channel?.stop());

/** A started web channel whose context answers `recentMessages` with `read`, counting the calls. */
async function startWith(read: (chatId: string, limit: number) => Promise<ChannelHistoryMessage[]>, historySize = 200) {
  const test = createTestContext();
  const logger = createRecordingLogger();
  const asked: Array<[string, number]> = [];
  const context: ChannelContext = {
    ...test.context,
    logger,
    recentMessages: (chatId, limit) => {
      asked.push([chatId, limit]);
      return read(chatId, limit);
    },
  };
  channel = createWebChannel({ secret: harnessSecret, clock: createManualClock(4_000), historySize });
  await channel.start(context);
  const web = channel;
  const history = async (visitor = 'visitor-1') => {
    const response = await web.handleRequest(
      new Request('http://localhost/chat/api/history', { headers: { cookie: visitorCookie(visitor) } }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as HistoryBody).messages;
  };
  const say = (text: string) =>
    web.handleRequest(
      new Request('http://localhost/chat/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: visitorCookie('visitor-1') },
        body: JSON.stringify({ text }),
      }),
    );
  return { asked, history, say, web, logger };
}

describe('web chat: the conversation the gateway kept', () => {
  it('shows a visitor the conversation the gateway kept when this run has none of it (after a restart)', async () => {
    const { asked, history } = await startWith(async (chatId) => (chatId === 'visitor-1' ? kept : []));
    expect(await history()).toEqual([
      { id: 'v1', from: 'visitor', text: 'what is in my folder?', format: 'plain', at: 1_000 },
      { id: 'a1', from: 'agent', text: 'Two files: **a.txt** and b.txt', format: 'markdown', at: 2_000 },
      { id: 'v2', from: 'visitor', text: 'thanks!', format: 'plain', at: 3_000, editedAt: 3_500 },
    ]);
    // Read once per conversation, for as many messages as the history keeps; another visitor has their own.
    await history();
    expect(await history('visitor-2')).toEqual([]);
    expect(asked).toEqual([
      ['visitor-1', 200],
      ['visitor-2', 200],
    ]);
  });

  it('puts what the gateway kept before what this run already holds, once each, within the history bound', async () => {
    const { history, say, web } = await startWith(async () => kept, 3);
    expect((await say('a new question')).status).toBe(202);
    await web.send({ channel: 'web', chatId: 'visitor-1' }, { text: 'a new answer', format: 'markdown' });
    // The bound keeps the newest three: the last kept message, then this run's two.
    expect((await history()).map((message) => message.text)).toEqual(['thanks!', 'a new question', 'a new answer']);
  });

  it('shows what is in memory when the gateway cannot read its store, and reads it at the next request', async () => {
    let failing = true;
    const { asked, history, logger } = await startWith(async () => {
      if (failing) throw new Error('database is locked');
      return kept;
    });
    expect(await history()).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'could not read the conversation the gateway kept',
        fields: { error: 'database is locked' },
      }),
    );
    failing = false;
    expect((await history()).map((message) => message.id)).toEqual(['v1', 'a1', 'v2']);
    expect(asked.length).toBe(2);
  });

  it('without recentMessages (a context that has none) shows what is in memory', async () => {
    const test = createTestContext();
    channel = createWebChannel({ secret: harnessSecret, clock: createManualClock(4_000) });
    await channel.start(test.context);
    const response = await channel.handleRequest(
      new Request('http://localhost/chat/api/history', { headers: { cookie: visitorCookie('visitor-1') } }),
    );
    expect(((await response.json()) as HistoryBody).messages).toEqual([]);
  });
});
