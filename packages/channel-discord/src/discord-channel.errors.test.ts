import { ChannelApiError, NotFoundError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordTestRun, eventually, startDiscordTestRun } from './testing/discord-test-run';

const address = { channel: 'discord', chatId: '2002' };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('Discord errors, through mapDiscordError', () => {
  let run: DiscordTestRun;
  afterEach(async () => run.close());

  it('429: retryable, with retry_after from Discord as retryAfterMs (the core waits it)', async () => {
    run = await startDiscordTestRun();
    run.fake.failNext({ status: 429, retryAfterSeconds: 2.5 });
    const error = await failure(run.channel.send(address, { text: 'hi', format: 'plain' }));
    expect(
      ChannelApiError.isInstance(error) && { status: error.status, retryable: error.retryable, retryAfterMs: error.retryAfterMs },
    ).toEqual({
      status: 429,
      retryable: true,
      retryAfterMs: 2500,
    });
    // Nothing was retried behind the core's back: one refused call, and the next send goes through.
    expect(run.fake.sent).toEqual([]);
    await run.channel.send(address, { text: 'hi', format: 'plain' });
    expect(run.fake.sent.map((message) => message.content)).toEqual(['hi']);
  });

  it('5xx: retryable, reported once (no retries inside discord.js)', async () => {
    run = await startDiscordTestRun();
    run.fake.failNext({ status: 503 });
    const error = await failure(run.channel.send(address, { text: 'hi', format: 'markdown' }));
    expect(ChannelApiError.isInstance(error) && [error.status, error.retryable]).toEqual([503, true]);
    expect(run.fake.requests.filter((request) => request.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('403 Missing Permissions names the permission the call needed', async () => {
    run = await startDiscordTestRun();
    run.fake.failNext({ status: 403, code: 50013, message: 'Missing Permissions' });
    const send = await failure(run.channel.send(address, { text: 'hi', format: 'plain' }));
    expect(ChannelApiError.isInstance(send) && [send.status, send.retryable]).toEqual([403, false]);
    expect((send as Error).message).toMatch(/missing permission SendMessages/);
    run.fake.failNext({ status: 403, code: 50013, message: 'Missing Permissions' });
    const file = await failure(run.channel.sendFile(address, { name: 'a.txt', data: new Uint8Array([1]) }));
    expect((file as Error).message).toMatch(/missing permission AttachFiles/);
    run.fake.failNext({ status: 403, code: 50001, message: 'Missing Access' });
    const access = await failure(run.channel.sendTyping({ ...address, threadId: '4004' }));
    expect((access as Error).message).toMatch(/missing permission ViewChannel/);
  });

  it('401 on a call: token rejected, not retryable', async () => {
    run = await startDiscordTestRun();
    run.fake.failNext({ status: 401 });
    const error = await failure(run.channel.send(address, { text: 'hi', format: 'plain' }));
    expect(ChannelApiError.isInstance(error) && [error.status, error.retryable]).toEqual([401, false]);
    expect((error as Error).message).toMatch(/token rejected/);
  });

  it('a wrong token at start: ChannelApiError 401, so the core marks the channel failed', async () => {
    run = await startDiscordTestRun({}, { botToken: 'wrong' }, false);
    const error = await failure(run.channel.start(run.context));
    expect(ChannelApiError.isInstance(error) && [error.status, error.retryable]).toEqual([401, false]);
    expect(run.fake.gateway.connections).toBe(0);
  });

  it('the gateway closing with 4004 while running: status failed, and no reconnect', async () => {
    run = await startDiscordTestRun();
    run.fake.closeConnections(4004, 'Authentication failed.');
    const failed = await eventually(() => run.statuses.find((status) => status.state === 'failed'), 'the failed status');
    expect(failed).toEqual({ state: 'failed', error: expect.stringMatching(/token rejected/) });
    await run.clock.advance(600_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(run.fake.gateway.connections).toBe(1);
  });

  it('edit of a message that is gone: NotFoundError; delete of one: resolves', async () => {
    run = await startDiscordTestRun();
    expect(NotFoundError.isInstance(await failure(run.channel.edit(address, '42', 'x')))).toBe(true);
    await expect(run.channel.delete(address, '42')).resolves.toBeUndefined();
  });

  it('never lets a model ping everyone: allowed_mentions parses nothing', async () => {
    run = await startDiscordTestRun();
    await run.channel.send(address, { text: '@everyone look', format: 'markdown' });
    expect(run.fake.sent[0]?.allowedMentions).toEqual({ parse: [], replied_user: false });
  });

  it('sends to a thread by posting in the thread channel, replying to a message', async () => {
    run = await startDiscordTestRun();
    await run.channel.send({ ...address, threadId: '4004' }, { text: 'in the thread', format: 'plain', replyTo: '77' });
    expect(run.fake.sent[0]).toMatchObject({ channelId: '4004', replyTo: '77', content: 'in the thread' });
  });
});
