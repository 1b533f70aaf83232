import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordTestRun, eventually, startDiscordTestRun } from './testing/discord-test-run';

const ann = { id: '77', username: 'ann' };

describe('Discord gateway connection', () => {
  let run: DiscordTestRun;
  afterEach(async () => run.close());

  it('after a dropped connection it resumes, and a message sent meanwhile is delivered once', async () => {
    run = await startDiscordTestRun();
    run.fake.terminateConnections();
    run.fake.injectMessage({ channelId: '2002', author: ann, content: 'while you were away' });
    await eventually(() => run.received.length === 1, 'the replayed message');
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    run.fake.injectMessage({ channelId: '2002', author: ann, content: 'after' });
    await eventually(() => run.received.length === 2, 'the next message');
    expect(run.received.map((message) => message.text)).toEqual(['while you were away', 'after']);
    expect(run.fake.gateway).toMatchObject({ identifies: 1, resumes: 1 });
    expect(run.statuses.map((status) => status.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
  });

  it('an invalid session on resume makes it identify again and come back connected', async () => {
    run = await startDiscordTestRun();
    run.fake.invalidateNextResume();
    run.fake.closeConnections(4000);
    await eventually(() => run.fake.gateway.identifies === 2, 'a second IDENTIFY');
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    run.fake.injectMessage({ channelId: '2002', author: ann, content: 'new session' });
    await eventually(() => run.received[0], 'the message');
    expect(run.fake.gateway.resumes).toBe(1);
  });

  it('a message Discord delivers twice (a replay after resume) is reported with the same ids, for the store to keep once', async () => {
    run = await startDiscordTestRun();
    const payload = run.fake.injectMessage({ channelId: '2002', author: ann, content: 'once' });
    await eventually(() => run.received[0], 'the message');
    run.fake.terminateConnections();
    await eventually(() => run.statuses.at(-1)?.state === 'connected' && run.fake.gateway.resumes === 1, 'resumed');
    run.fake.dispatch('MESSAGE_CREATE', payload);
    await eventually(() => run.received[1], 'the redelivery');
    const [first, second] = run.received;
    expect([second?.chat.id, second?.platformMessageId]).toEqual([first?.chat.id, first?.platformMessageId]);
  });

  it("discord.js's own zombie detection: heartbeats no longer ACKed → it closes and resumes", async () => {
    run = await startDiscordTestRun({ heartbeatIntervalMs: 100 });
    await eventually(() => run.fake.gateway.heartbeats >= 1, 'a heartbeat');
    run.fake.stopAcking();
    await eventually(() => run.fake.gateway.closes.includes(4200), 'the zombie close (4200, resuming)');
    run.fake.speak();
    await eventually(() => run.fake.gateway.resumes >= 1 && run.statuses.at(-1)?.state === 'connected', 'resumed');
    expect(run.statuses.map((status) => status.state)).toContain('disconnected');
  });

  it('deaf watchdog: nothing at all arrives → degraded, then a new session → connected', async () => {
    run = await startDiscordTestRun({ heartbeatIntervalMs: 100 }, { watchdogMs: 10_000 });
    await eventually(() => run.fake.gateway.heartbeats >= 1, 'an acknowledged heartbeat');
    await run.clock.advance(2_500);
    expect(run.statuses.map((status) => status.state)).toEqual(['connecting', 'connected']);
    // Silent: no ACK, no event, and no HELLO on the connection discord.js opens after its zombie close.
    run.fake.goSilent();
    await eventually(() => run.fake.gateway.closes.includes(4200) && run.fake.gateway.connections === 2, 'the zombie reconnect');
    await run.clock.advance(10_000);
    expect(run.statuses.at(-1)).toEqual({ state: 'degraded', detail: 'no gateway event or heartbeat ACK for 10 s' });
    run.fake.speak();
    await run.clock.advance(10_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    expect(run.fake.gateway.identifies).toBe(2);
    run.fake.injectMessage({ channelId: '2002', author: ann, content: 'heard' });
    await eventually(() => run.received[0], 'a message on the new session');
  });

  it('the watchdog stays quiet while heartbeats are ACKed, even with no message for a long time', async () => {
    run = await startDiscordTestRun({ heartbeatIntervalMs: 100 }, { watchdogMs: 10_000 });
    for (let step = 0; step < 12; step += 1) {
      const before = run.fake.gateway.heartbeats;
      await eventually(() => run.fake.gateway.heartbeats > before, 'the next heartbeat');
      await run.clock.advance(2_500);
    }
    expect(run.statuses.map((status) => status.state)).toEqual(['connecting', 'connected']);
  });
});
