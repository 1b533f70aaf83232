import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from './__fixtures__/server-harness';
import { MAX_FRAME_BYTES, SANDBOX_PROTOCOL_VERSION } from './protocol';
import type { BashOutput } from './tool-schemas';

let harness: ServerHarness;
afterEach(() => harness?.close());

describe('sandbox server: the protocol', () => {
  it('says hello first, with the protocol version, the tools and the workspace', async () => {
    harness = await startServerHarness();
    const hello = await harness.waitFor((frame) => frame.type === 'hello');
    expect(harness.frames[0]).toBe(hello);
    expect(hello).toMatchObject({ protocol: SANDBOX_PROTOCOL_VERSION, tools: expect.arrayContaining(['bash', 'grep']) });
    expect(hello).toMatchObject({ workingDirectory: expect.stringMatching(/agent$/) });
  });

  it('answers malformed lines with protocol errors and keeps serving', async () => {
    harness = await startServerHarness();
    harness.sendLine('this is not json');
    harness.sendLine('{"type":"request","id":"no-tool","input":{}}');
    harness.sendLine('{"id":42}');
    harness.sendLine('');
    harness.sendLine('x'.repeat(MAX_FRAME_BYTES + 10));
    const answer = await harness.request('bash', { command: 'echo still here' });
    expect(outputOf<BashOutput>(answer).stdout).toBe('still here\n');
    const errors = harness.frames.filter((frame) => frame.type === 'response' && !frame.ok);
    expect(errors.map((frame) => errorOf(frame).code)).toEqual(['protocol', 'protocol', 'protocol', 'protocol']);
    expect(errors.map((frame) => (frame.type === 'response' ? frame.id : undefined))).toEqual([null, 'no-tool', null, null]);
    expect(harness.badLines).toEqual([]);
  });

  it('refuses an unknown tool and input that does not match the tool schema', async () => {
    harness = await startServerHarness();
    expect(errorOf(await harness.request('rm_rf', {}))).toMatchObject({ code: 'unknown_tool', message: /bash/ });
    expect(errorOf(await harness.request('bash', { command: 42 }))).toMatchObject({ code: 'invalid_input', message: /command/ });
    expect(errorOf(await harness.request('read_file', { path: 'a', limit: 0 }))).toMatchObject({ code: 'invalid_input' });
    expect(errorOf(await harness.request('bash', { command: 'ls', extra: 1 }))).toMatchObject({ code: 'invalid_input' });
  });

  it('refuses a second request with the id of a running one, and the first still answers', async () => {
    harness = await startServerHarness();
    const first = harness.request('bash', { command: 'sleep 0.3; echo first' }, { id: 'same' });
    harness.sendLine(JSON.stringify({ type: 'request', id: 'same', tool: 'bash', input: { command: 'echo second' } }));
    const refusal = await harness.waitFor((frame) => frame.type === 'response' && frame.id === null);
    expect(errorOf(refusal)).toMatchObject({ code: 'protocol', message: /same/ });
    expect(outputOf<BashOutput>(await first).stdout).toBe('first\n');
  });

  it('runs requests concurrently', async () => {
    harness = await startServerHarness();
    const started = Date.now();
    const answers = await Promise.all([1, 2, 3].map(() => harness.request('bash', { command: 'sleep 0.4' })));
    expect(answers.every((frame) => frame.type === 'response' && frame.ok)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1100);
  });

  it('cancels a running request', async () => {
    harness = await startServerHarness();
    const answer = harness.request('bash', { command: 'echo partial; sleep 30' }, { id: 'long' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    harness.sendLine('{"type":"cancel","id":"long"}');
    expect(errorOf(await answer)).toMatchObject({ code: 'cancelled', message: /partial/ });
  });

  it('sends progress frames only when asked', async () => {
    harness = await startServerHarness();
    await harness.request('bash', { command: 'echo quiet' }, { id: 'quiet' });
    const loud = await harness.request('bash', { command: 'echo one; sleep 0.1; echo two >&2' }, { id: 'loud', progress: true });
    expect(outputOf<BashOutput>(loud)).toMatchObject({ stdout: 'one\n', stderr: 'two\n' });
    const progress = harness.frames.filter((frame) => frame.type === 'progress');
    expect(progress.every((frame) => frame.type === 'progress' && frame.id === 'loud')).toBe(true);
    expect(progress.map((frame) => (frame.type === 'progress' ? `${frame.stream}:${frame.text}` : ''))).toEqual([
      'stdout:one\n',
      'stderr:two\n',
    ]);
  });

  it('lets running calls answer after the input ends', async () => {
    harness = await startServerHarness();
    const answer = harness.request('bash', { command: 'sleep 0.2; echo done' });
    await harness.close();
    expect(outputOf<BashOutput>(await answer).stdout).toBe('done\n');
  });
});
