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
});
