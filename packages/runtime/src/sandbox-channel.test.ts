import { PassThrough } from 'node:stream';
import { SandboxError } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import {
  createLineSplitter,
  encodeFrame,
  MAX_FRAME_BYTES,
  parseHostFrame,
  type RequestFrame,
  type SandboxFrame,
} from '@ngb/sandbox';
import { describe, expect, it } from 'vitest';
import { openSandboxChannel } from './sandbox-channel';

/** The host's channel over two real streams, with the test speaking for the sandbox program. */
function openChannel() {
  const fromSandbox = new PassThrough();
  const toSandbox = new PassThrough();
  const logger = createRecordingLogger();
  const requests: RequestFrame[] = [];
  const waiting: Array<() => void> = [];
  const splitter = createLineSplitter(
    MAX_FRAME_BYTES,
    (line) => {
      const parsed = parseHostFrame(line);
      if (parsed.ok && parsed.frame.type === 'request') requests.push(parsed.frame);
      for (const wake of waiting.splice(0)) wake();
    },
    () => {},
  );
  toSandbox.on('data', (chunk: Buffer) => splitter.push(chunk));
  const channel = openSandboxChannel({
    input: fromSandbox,
    output: toSandbox,
    helloTimeoutMs: 5000,
    defaultTimeoutMs: 5000,
    logger,
    diagnoseEnd: async () => new SandboxError('crashed', 'ended'),
  });
  const send = (frame: SandboxFrame | string) => fromSandbox.write(typeof frame === 'string' ? frame : encodeFrame(frame));
  send({
    type: 'hello',
    protocol: 1,
    tools: ['bash'],
    pid: 1,
    workspaceRoot: '/w',
    workingDirectory: '/w',
    outOfToolsReach: true,
  });
  const request = async (count: number): Promise<RequestFrame> => {
    while (requests.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    return requests[count - 1] as RequestFrame;
  };
  const answer = (id: string, stdout: string): SandboxFrame => ({ type: 'response', id, ok: true, output: { stdout } });
  return { channel, send, request, answer, logger, end: () => fromSandbox.end() };
}

describe('openSandboxChannel', () => {
  it('sends unguessable request ids: random UUIDs, never a counter', async () => {
    const { channel, request, send, answer, end } = openChannel();
    const calls = [channel.call('bash', {}), channel.call('bash', {}), channel.call('bash', {})];
    const ids = [(await request(1)).id, (await request(2)).id, (await request(3)).id];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) send(answer(id, 'ok'));
    await Promise.all(calls);
    end();
  });

  it('drops and logs an answer for an id it is not waiting for, and still takes the genuine one', async () => {
    const { channel, request, send, answer, logger, end } = openChannel();
    const call = channel.call('bash', { command: 'echo genuine' });
    const { id } = await request(1);
    send(answer('c1', 'FORGED'));
    send({ type: 'progress', id: 'c1', stream: 'stdout', text: 'FORGED' });
    send(answer(id, 'genuine'));
    expect((await call).output).toEqual({ stdout: 'genuine' });
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => [line.message, line.fields])).toEqual([
      ['sandbox sent a frame for a request the host is not waiting for; dropped', { type: 'response', id: 'c1' }],
      ['sandbox sent a frame for a request the host is not waiting for; dropped', { type: 'progress', id: 'c1' }],
    ]);
    end();
  });

  it('expects the late answer of a call it gave up on, and does not take it for a forgery', async () => {
    const { channel, request, send, answer, logger, end } = openChannel();
    const controller = new AbortController();
    const call = channel.call('bash', { command: 'sleep 9' }, { signal: controller.signal });
    const { id } = await request(1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ reason: 'aborted' });
    send(answer(id, 'late'));
    const next = channel.call('bash', {});
    send(answer((await request(2)).id, 'next'));
    expect((await next).output).toEqual({ stdout: 'next' });
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
    expect(logger.lines.map((line) => line.message)).toContain('late frame of a call given up on; dropped');
    end();
  });

  it('refuses a line over the frame cap without reading it as an answer', async () => {
    const { channel, request, send, logger, end } = openChannel();
    const call = channel.call('bash', {});
    const { id } = await request(1);
    const forged = encodeFrame({ type: 'response', id, ok: true, output: { stdout: `FORGED${'x'.repeat(MAX_FRAME_BYTES)}` } });
    send(forged);
    send({ type: 'response', id, ok: true, output: { stdout: 'genuine' } });
    expect((await call).output).toEqual({ stdout: 'genuine' });
    expect(logger.lines.map((line) => line.message)).toContain('sandbox wrote an oversized line; dropped');
    end();
  });
});
