import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createFakeQQServer, type FakeQQServer } from './fake-qq-server';

/** A raw OneBot client: what arrives, and actions by echo. */
async function connect(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const received: Array<Record<string, unknown>> = [];
  socket.on('message', (raw) => received.push(JSON.parse(raw.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  const waitFor = async (match: (payload: Record<string, unknown>) => boolean) => {
    for (let tries = 0; tries < 500; tries += 1) {
      const found = received.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('[test] not received');
  };
  return {
    socket,
    received,
    waitFor,
    call: (action: string, params: Record<string, unknown>, echo: unknown) => {
      socket.send(JSON.stringify({ action, params, echo }));
      return waitFor((payload) => JSON.stringify(payload.echo) === JSON.stringify(echo));
    },
  };
}

describe('fake OneBot v11 implementation', () => {
  let fake: FakeQQServer;
  afterEach(async () => fake.close());

  it('asks for the access token by header or query: 401 without, 403 when wrong', async () => {
    fake = await createFakeQQServer({ accessToken: 'secret' });
    await expect(connect(fake.url)).rejects.toThrow('HTTP 401');
    await expect(connect(fake.url, { Authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 403');
    const byHeader = await connect(fake.url, { Authorization: 'Bearer secret' });
    const byQuery = await connect(`${fake.url}/?access_token=secret`);
    expect(fake.refusals).toEqual([401, 403]);
    expect(fake.openConnections()).toBe(2);
    byHeader.socket.close();
    byQuery.socket.close();
  });

  it('says lifecycle connect first, answers actions with their echo, and records sends as people see them', async () => {
    fake = await createFakeQQServer({ accessToken: null, selfId: 42 });
    const client = await connect(fake.url);
    await client.waitFor((payload) => payload.meta_event_type === 'lifecycle' && payload.sub_type === 'connect');
    expect(await client.call('get_login_info', {}, 'a')).toMatchObject({ status: 'ok', retcode: 0, data: { user_id: 42 } });
    const sent = await client.call(
      'send_group_msg',
      {
        group_id: 7,
        message: [
          { type: 'reply', data: { id: '5' } },
          { type: 'text', data: { text: 'hi' } },
        ],
      },
      { nested: 'echo' },
    );
    expect(sent).toMatchObject({ status: 'ok', data: { message_id: expect.any(Number) }, echo: { nested: 'echo' } });
    expect(fake.sent).toMatchObject([{ chatId: 'group:7', text: 'hi', replyTo: '5' }]);
    expect(await client.call('no_such_action', {}, 'b')).toMatchObject({ status: 'failed', retcode: 1404 });
    client.socket.close();
  });

  it('injects messages as segments or CQ strings, recalls and heartbeats', async () => {
    fake = await createFakeQQServer({ accessToken: null });
    const client = await connect(fake.url);
    fake.injectMessage({
      chatId: 'group:7',
      userId: 3,
      message: [{ type: 'text', data: { text: 'a [b] & c' } }],
      asCqString: true,
    });
    expect(await client.waitFor((payload) => payload.post_type === 'message')).toMatchObject({
      message_type: 'group',
      group_id: 7,
      message: 'a &#91;b&#93; &amp; c',
    });
    fake.recall({ chatId: 'private:3', messageId: 9, userId: 3 });
    expect(await client.waitFor((payload) => payload.post_type === 'notice')).toMatchObject({
      notice_type: 'friend_recall',
      message_id: 9,
    });
    fake.heartbeat();
    expect(await client.waitFor((payload) => payload.meta_event_type === 'heartbeat')).toMatchObject({ interval: 30_000 });
    client.socket.close();
  });

  it('fails the next matching action, answers out of order, and goes silent with the socket open', async () => {
    fake = await createFakeQQServer({ accessToken: null });
    const client = await connect(fake.url);
    fake.failNext({ action: 'send_private_msg', retcode: 1200, wording: '发送失败' });
    expect(await client.call('send_private_msg', { user_id: 1, message: 'x' }, 'f')).toMatchObject({
      status: 'failed',
      retcode: 1200,
      wording: '发送失败',
    });
    fake.reorderNext(2);
    client.socket.send(JSON.stringify({ action: 'get_status', params: {}, echo: 'first' }));
    client.socket.send(JSON.stringify({ action: 'get_status', params: {}, echo: 'second' }));
    await client.waitFor((payload) => payload.echo === 'first');
    const echoes = client.received.map((payload) => payload.echo).filter((echo) => echo === 'first' || echo === 'second');
    expect(echoes).toEqual(['second', 'first']);
    fake.goSilent();
    fake.heartbeat();
    client.socket.send(JSON.stringify({ action: 'get_status', params: {}, echo: 'unheard' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.received.some((payload) => payload.echo === 'unheard' || payload.meta_event_type === 'heartbeat')).toBe(false);
    expect(fake.openConnections()).toBe(1);
    client.socket.close();
  });
});
