import { describe, expect, it } from 'vitest';
import { createSessionQueue } from './session-queue';

function deferred() {
  let resolve!: (more: boolean) => void;
  const promise = new Promise<boolean>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function harness(maxConcurrent: number) {
  const runs: string[] = [];
  const gates = new Map<string, ReturnType<typeof deferred>[]>();
  const queue = createSessionQueue({
    maxConcurrent,
    run: (sessionId) => {
      runs.push(sessionId);
      const gate = deferred();
      gates.set(sessionId, [...(gates.get(sessionId) ?? []), gate]);
      return gate.promise;
    },
    onError: () => undefined,
  });
  const finish = async (sessionId: string, more = false) => {
    gates.get(sessionId)?.shift()?.resolve(more);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, runs, finish };
}

describe('session queue', () => {
  it('caps concurrency at 2 with three sessions: the third waits, then runs', async () => {
    const { queue, runs, finish } = harness(2);
    queue.wake('a', 'message');
    queue.wake('b', 'message');
    queue.wake('c', 'message');
    expect(queue.running()).toEqual(['a', 'b']);
    expect(queue.waiting()).toEqual(['c']);
    await finish('a');
    expect(queue.running()).toEqual(['b', 'c']);
    expect(runs).toEqual(['a', 'b', 'c']);
  });

  it('never runs one session twice at once; a wake while running runs it again after', async () => {
    const { queue, runs, finish } = harness(3);
    queue.wake('a', 'message');
    queue.wake('a', 'message');
    expect(runs).toEqual(['a']);
    await finish('a');
    expect(runs).toEqual(['a', 'a']);
    await finish('a');
    expect(queue.running()).toEqual([]);
  });

  it('runs task wakes before message wakes', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('busy', 'message');
    queue.wake('m1', 'message');
    queue.wake('m2', 'message');
    queue.wake('t1', 'task');
    queue.wake('m2', 'task');
    expect(queue.waiting()).toEqual(['t1', 'm2', 'm1']);
    await finish('busy');
    await finish('t1');
    await finish('m2');
    expect(runs).toEqual(['busy', 't1', 'm2', 'm1']);
  });

  it('runs again when run reports more work', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('a', 'message');
    await finish('a', true);
    expect(runs).toEqual(['a', 'a']);
  });

  it('keeps held sessions out until released', async () => {
    const { queue, runs, finish } = harness(2);
    queue.hold('a');
    queue.wake('a', 'message');
    expect(runs).toEqual([]);
    queue.release('a', 'message');
    expect(runs).toEqual(['a']);
    await finish('a');
  });

  it('drain waits for running sessions and starts no new ones', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('a', 'message');
    queue.wake('b', 'message');
    const drained = queue.drain();
    let done = false;
    void drained.then(() => {
      done = true;
    });
    await finish('a');
    await drained;
    expect(done).toBe(true);
    expect(runs).toEqual(['a']);
  });

  it('a parked session gives its slot to the next one and keeps its own lane closed', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('a', 'message');
    queue.wake('b', 'message');
    expect(queue.running()).toEqual(['a']);
    queue.park('a');
    expect(queue.running()).toEqual(['b']);
    expect(queue.parked()).toEqual(['a']);
    // A new message of the parked session waits for its run to end: never two runs of one session.
    queue.wake('a', 'message');
    expect(runs).toEqual(['a', 'b']);
    expect(queue.waiting()).toEqual([]);
    await finish('b');
    expect(queue.running()).toEqual([]);
    await queue.unpark('a');
    expect(queue.running()).toEqual(['a']);
    expect(queue.parked()).toEqual([]);
    await finish('a');
    expect(runs).toEqual(['a', 'b', 'a']);
  });

  it('a returning session takes the next free slot before waiting tasks and messages', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('a', 'message');
    queue.park('a');
    queue.wake('b', 'message');
    queue.wake('m', 'message');
    queue.wake('t', 'task');
    expect(queue.running()).toEqual(['b']);
    let back = false;
    const returned = queue.unpark('a').then(() => {
      back = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(back).toBe(false);
    expect(queue.waiting()).toEqual(['t', 'm']);
    await finish('b');
    await returned;
    expect(queue.running()).toEqual(['a']);
    await finish('a');
    expect(queue.running()).toEqual(['t']);
    await finish('t');
    await finish('m');
    expect(runs).toEqual(['a', 'b', 't', 'm']);
  });

  it('sessions return in the order they asked; unpark of a session not parked resolves at once', async () => {
    const { queue, finish } = harness(1);
    queue.wake('a', 'message');
    queue.park('a');
    queue.wake('b', 'message');
    queue.park('b');
    queue.wake('c', 'message');
    const order: string[] = [];
    const b = queue.unpark('b').then(() => order.push('b'));
    const a = queue.unpark('a').then(() => order.push('a'));
    await queue.unpark('c');
    await finish('c');
    await b;
    expect(order).toEqual(['b']);
    await finish('b');
    await a;
    expect(order).toEqual(['b', 'a']);
    await finish('a');
    expect(queue.parked()).toEqual([]);
  });

  it('drain does not wait for a parked session; whenIdle does, and a returning one is let in while draining', async () => {
    const { queue, runs, finish } = harness(1);
    queue.wake('a', 'message');
    queue.park('a');
    queue.wake('b', 'message');
    queue.wake('c', 'message');
    let idle = false;
    void queue.whenIdle().then(() => {
      idle = true;
    });
    const drained = queue.drain();
    await finish('b');
    await drained;
    expect(runs).toEqual(['a', 'b']);
    expect(idle).toBe(false);
    // The caller ends the wait (as a restart would): the run comes back, even while draining, and ends.
    await queue.unpark('a');
    expect(queue.running()).toEqual(['a']);
    await finish('a');
    expect(idle).toBe(true);
    expect(runs).toEqual(['a', 'b']);
  });

  it('starts no waiting session while paused (running ones finish; parked ones return), and all of them once resumed', async () => {
    const { queue, runs, finish } = harness(2);
    queue.wake('a', 'message');
    queue.wake('p', 'message');
    queue.park('p');
    queue.pause();
    queue.wake('b', 'message');
    queue.wake('c', 'task');
    await finish('a', true);
    expect(runs).toEqual(['a', 'p']);
    expect(queue.waiting()).toEqual(['c', 'b', 'a']);
    await queue.unpark('p');
    expect(queue.running()).toEqual(['p']);
    queue.resume();
    expect(queue.running()).toEqual(['p', 'c']);
    await finish('p');
    await finish('c');
    await finish('b');
    await finish('a');
    expect(runs).toEqual(['a', 'p', 'c', 'b', 'a']);
  });
});
