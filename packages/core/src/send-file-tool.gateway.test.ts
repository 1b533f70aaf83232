import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeWhoseFirstAcquireFails } from './__tests__/first-acquire-fails';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const call = (input: Record<string, unknown>) => ({
  type: 'reply' as const,
  toolCalls: [{ name: 'send_file', input }],
});
const toolResults = (h: Harness) =>
  h.llm.requests().flatMap((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'tool' ? [last.content] : [];
  });

async function setUp(options: Parameters<typeof createHarness>[0]) {
  const h = await createHarness({ channelCapabilities: { typing: true, files: true }, ...options });
  harness = h;
  const agent = await h.addAgent('andy');
  await h.addChat('c1', { agent });
  const folder = join(h.directory, 'agents', 'andy');
  return { h, folder };
}

describe('send_file', () => {
  it('sends a file of the workspace, by relative or /workspace/agent path, with its caption to the chat', async () => {
    const { h, folder } = await setUp({
      script: [
        call({ path: 'out/report.csv', caption: 'the numbers' }),
        call({ path: '/workspace/agent/./chart.png' }),
        { type: 'reply', text: 'done' },
      ],
    });
    mkdirSync(join(folder, 'out'));
    writeFileSync(join(folder, 'out', 'report.csv'), 'a,b\n1,2\n');
    const png = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 256));
    writeFileSync(join(folder, 'chart.png'), png);
    await h.say('send the report', { threadId: 't-9' });
    expect(toolResults(h)).toEqual(['sent out/report.csv (8 bytes) to the chat', 'sent chart.png (70000 bytes) to the chat']);
    expect(
      h.channel.files.map(({ address, file }) => [address.chatId, address.threadId, file.name, file.mimeType, file.caption]),
    ).toEqual([
      ['c1', 't-9', 'report.csv', 'text/csv', 'the numbers'],
      ['c1', 't-9', 'chart.png', 'image/png', undefined],
    ]);
    expect(Buffer.from(h.channel.files[1]?.file.data ?? [])).toEqual(png);
    expect(h.texts()).toEqual(['done']);
  });

  it('refuses paths outside the workspace, links anywhere on the path, what is not a regular file, missing and too large files', async () => {
    const { h, folder } = await setUp({
      sendFileMaxBytes: 10,
      script: [
        call({ path: '../other/secret.txt' }),
        call({ path: '/etc/passwd' }),
        call({ path: '/workspace/agentx/secret.txt' }),
        call({ path: 'linked.txt' }),
        call({ path: 'linked-folder/secret.txt' }),
        call({ path: 'pipe' }),
        call({ path: 'out' }),
        call({ path: 'missing.txt' }),
        call({ path: 'big.txt' }),
        { type: 'reply', text: 'done' },
      ],
    });
    const outside = join(h.directory, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'linked.txt'));
    symlinkSync(outside, join(folder, 'linked-folder'));
    execFileSync('mkfifo', [join(folder, 'pipe')]);
    mkdirSync(join(folder, 'out'));
    writeFileSync(join(folder, 'big.txt'), '12345678901');
    await h.say('send them');
    expect(toolResults(h)).toEqual([
      'Error: not sent: ../other/secret.txt is outside the workspace (/workspace/agent)',
      'Error: not sent: /etc/passwd is outside the workspace (/workspace/agent)',
      'Error: not sent: /workspace/agentx/secret.txt is outside the workspace (/workspace/agent)',
      'Error: not sent: linked.txt is a symbolic link',
      'Error: not sent: linked-folder is a symbolic link, not a folder',
      'Error: not sent: pipe is a named pipe (FIFO)',
      'Error: not sent: out is a folder',
      'Error: not sent: missing.txt does not exist',
      'Error: not sent: big.txt is larger than the 10 bytes limit',
    ]);
    expect(h.channel.files).toEqual([]);
  });

  it('tells the agent a channel without the files capability cannot send files', async () => {
    const { h, folder } = await setUp({
      channelCapabilities: { typing: true },
      script: [call({ path: 'a.txt' }), { type: 'reply', text: 'done' }],
    });
    writeFileSync(join(folder, 'a.txt'), 'a');
    await h.say('send it');
    expect(toolResults(h)).toEqual(['Error: not sent: the channel "fake" cannot send files']);
    expect(h.texts()).toEqual(['done']);
  });

  it('a turn run again after a failure does not send the same file twice', async () => {
    const clock = createManualClock();
    const { h, folder } = await setUp({
      clock,
      leaseMs: 3_600_000,
      retryDelaysMs: [5_000],
      runtime: runtimeWhoseFirstAcquireFails(),
      script: [
        call({ path: 'a.txt', caption: 'once' }),
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
        call({ path: 'a.txt', caption: 'once' }),
        { type: 'reply', text: 'second try' },
      ],
    });
    writeFileSync(join(folder, 'a.txt'), 'a');
    await h.say('send it');
    await clock.advance(5_000);
    await h.gateway.idle();
    expect(h.texts()).toEqual(['second try']);
    expect(h.channel.files.map(({ file }) => file.caption)).toEqual(['once']);
    expect(toolResults(h)).toEqual([
      'sent a.txt (1 byte) to the chat',
      'already sent a.txt (1 byte) with this caption in an earlier try of this turn',
    ]);
  });
});
