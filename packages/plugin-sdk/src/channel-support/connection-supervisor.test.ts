import { describe, expect, it } from 'vitest';
import { ChannelApiError } from '../errors';
import { createManualClock } from '../testing/manual-clock';
import { createRecordingChannelContext } from '../testing/recording-context';
import { createConnectionSupervisor } from './connection-supervisor';

/** A supervisor over a fake platform whose connection attempts succeed or fail as the test says. */
function supervised(options: { firstRetryMs?: number; timeoutMs?: number } = {}) {
  const clock = createManualClock();
  const { context, statuses } = createRecordingChannelContext();
  const attempts: Array<'ok' | Error | Promise<void>> = [];
  let connects = 0;
  let disconnects = 0;
  const supervisor = createConnectionSupervisor({
    clock,
    channel: 'fake',
    prefix: '[fake]',
    connect: async () => {
      connects += 1;
      const next = attempts.shift() ?? 'ok';
      if (next instanceof Error) throw next;
      if (next !== 'ok') await next;
    },
    disconnect: () => {
      disconnects += 1;
    },
    mapError: (error) =>
      error instanceof ChannelApiError ? error : new ChannelApiError('fake', String(error), { retryable: true }),
    watchdog: { timeoutMs: options.timeoutMs ?? 10_000, deafDetail: (quietMs) => `quiet for ${quietMs} ms` },
    ...(options.firstRetryMs === undefined ? {} : { firstRetryMs: options.firstRetryMs }),
  });
  return {
    clock,
    supervisor,
    context,
    attempts,
    states: () => statuses.map((status) => status.state),
    statuses,
    connects: () => connects,
    disconnects: () => disconnects,
  };
}

const refused = () => new ChannelApiError('fake', 'the token was refused', { status: 401 });

describe('createConnectionSupervisor', () => {
  it('connects on start and says connected once, however many sources report it; a second start is refused', async () => {
    const run = supervised();
    await run.supervisor.start(run.context);
    run.supervisor.status({ state: 'connected' });
    expect(run.states()).toEqual(['connecting', 'connected']);
    expect(run.supervisor.running()).toBe(true);
    await expect(run.supervisor.start(run.context)).rejects.toThrow('[fake] the channel is already started');
  });

  it('throws what the first attempt threw, and is not running after it', async () => {
    const run = supervised();
    run.attempts.push(new Error('no route to the platform'));
    await expect(run.supervisor.start(run.context)).rejects.toThrow('no route to the platform');
    expect(run.supervisor.running()).toBe(false);
  });

  it('replaces a dropped connection after the backoff, and again after a failed attempt, waiting longer', async () => {
    const run = supervised();
    await run.supervisor.start(run.context);
    run.supervisor.dropped('the socket closed');
    expect(run.statuses.at(-1)).toEqual({ state: 'disconnected', error: 'the socket closed' });
    run.attempts.push(new Error('still down'));
    await run.clock.advance(999);
    expect(run.connects()).toBe(1);
    await run.clock.advance(1);
    expect(run.connects()).toBe(2);
    expect(run.statuses.at(-1)).toMatchObject({ state: 'disconnected', error: 'Error: still down' });
    await run.clock.advance(1_999);
    expect(run.connects()).toBe(2);
    await run.clock.advance(1);
    expect(run.connects()).toBe(3);
    expect(run.states().slice(-2)).toEqual(['connecting', 'connected']);
  });

  it('connects again at once after a drop when the first wait is 0', async () => {
    const run = supervised({ firstRetryMs: 0 });
    await run.supervisor.start(run.context);
    run.supervisor.dropped('closed');
    await Promise.resolve();
    expect(run.connects()).toBe(2);
  });

  it('stops for good when the platform refuses the credentials, and tries no more', async () => {
    const run = supervised();
    await run.supervisor.start(run.context);
    run.attempts.push(refused());
    run.supervisor.reconnect();
    await Promise.resolve();
    await Promise.resolve();
    expect(run.statuses.at(-1)).toEqual({ state: 'failed', error: 'the token was refused' });
    expect(run.supervisor.running()).toBe(false);
    await run.clock.advance(600_000);
    expect(run.connects()).toBe(2);
  });

  it('reports a deaf connection as degraded, connected again on a sign of life, and replaces a dead one', async () => {
    const run = supervised({ timeoutMs: 10_000 });
    await run.supervisor.start(run.context);
    await run.clock.advance(10_000);
    expect(run.statuses.at(-1)).toEqual({ state: 'degraded', detail: 'quiet for 10000 ms' });
    run.supervisor.alive();
    expect(run.statuses.at(-1)).toEqual({ state: 'connected' });
    await run.clock.advance(20_000);
    expect(run.connects()).toBe(2);
    expect(run.disconnects()).toBe(1);
  });

  it('follows a new watchdog time from the moment it is set', async () => {
    const run = supervised({ timeoutMs: 10_000 });
    await run.supervisor.start(run.context);
    run.supervisor.retimeWatchdog(60_000);
    await run.clock.advance(30_000);
    expect(run.states()).toEqual(['connecting', 'connected']);
    await run.clock.advance(30_000);
    expect(run.statuses.at(-1)).toMatchObject({ state: 'degraded' });
  });

  it('lets go of a connection that opened after stop, and tries nothing more', async () => {
    const run = supervised();
    await run.supervisor.start(run.context);
    let open!: () => void;
    run.attempts.push(
      new Promise<void>((resolve) => {
        open = resolve;
      }),
    );
    run.supervisor.reconnect();
    run.supervisor.stop();
    const before = run.disconnects();
    open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.disconnects()).toBe(before + 1);
    expect(run.states().at(-1)).toBe('connecting');
    await run.clock.advance(600_000);
    expect(run.connects()).toBe(2);
  });
});
