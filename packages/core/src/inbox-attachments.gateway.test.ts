import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createManualClock, type RecordingInboundFile } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeWhoseFirstAcquireFails } from './__tests__/first-acquire-fails';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const photo = new Uint8Array(Array.from({ length: 3_000 }, (_, index) => index % 251));
const december = Date.UTC(2026, 11, 1, 12, 0);
const lastPrompt = (h: Harness, request = -1) => {
  const message = h.llm.requests().at(request)?.messages.at(-1);
  return message?.role === 'user' && typeof message.content === 'string' ? message.content : '';
};

async function setUp(options: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness({ channelCapabilities: { typing: true, files: true }, ...options });
  harness = h;
  const agent = await h.addAgent('andy');
  await h.addChat('c1', { agent });
  const agentFolder = join(h.directory, 'agents', 'andy');
  return { h, agentFolder, day: join(agentFolder, 'inbox', '2026-12-01') };
}

async function post(h: Harness, files: RecordingInboundFile[], text = 'look') {
  await h.channel.inject({
    text,
    chat: { id: 'c1', isGroup: false },
    sender: { id: 'user-1', name: 'Ada' },
    timestamp: december,
    files,
  });
  await h.gateway.idle();
}

describe('inbound attachments', () => {
  it('saves an image in the inbox with its bytes and tells the model where it is', async () => {
    const { h, day } = await setUp({ script: [{ type: 'reply', text: 'nice' }] });
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: photo }]);
    const [name] = readdirSync(day);
    expect(name).toMatch(/^photo-[0-9a-f]{8}\.jpg$/);
    expect(new Uint8Array(readFileSync(join(day, name ?? '')))).toEqual(photo);
    expect(lastPrompt(h)).toContain(`look\n[image: photo.jpg — saved to /workspace/agent/inbox/2026-12-01/${name}]</message>`);
    expect(h.events.filter((event) => event.type === 'attachment.saved')).toMatchObject([
      { name: 'photo.jpg', path: `/workspace/agent/inbox/2026-12-01/${name}`, bytes: photo.length },
    ]);
    expect(h.texts()).toEqual(['nice']);
  });

  it('gives two files of the same name on the same day two names', async () => {
    const { h, day } = await setUp({
      script: [
        { type: 'reply', text: 'one' },
        { type: 'reply', text: 'two' },
      ],
    });
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: photo }], 'first');
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: new Uint8Array([1, 2, 3]) }], 'second');
    const names = readdirSync(day).sort();
    expect(names).toHaveLength(2);
    expect(names.map((name) => readFileSync(join(day, name)).length).sort()).toEqual([3, photo.length]);
  });

  it('refuses a file past the cap, counted while written even when the platform announces less, and keeps no partial file', async () => {
    const { h, day } = await setUp({ attachmentMaxBytes: 1_000, script: [{ type: 'reply', text: 'ok' }] });
    await post(h, [
      { name: 'big.png', mimeType: 'image/png', data: photo, announcedSize: 10 },
      { name: 'honest.png', mimeType: 'image/png', data: photo },
    ]);
    expect(lastPrompt(h)).toContain('[image: big.png — not saved: larger than the 1000 bytes limit]');
    expect(lastPrompt(h)).toContain(
      '[image: honest.png — not saved: larger than the 1000 bytes limit (by the size the platform announced)]',
    );
    expect(readdirSync(day)).toEqual([]);
    expect(h.channel.fetches.map((fetch) => fetch.maxBytes)).toEqual([1_000, 1_000]);
    expect(h.events.filter((event) => event.type === 'attachment.refused')).toHaveLength(2);
    expect(h.texts()).toEqual(['ok']);
  });

  it('says a file is not downloadable from a channel without the capability, and still answers', async () => {
    const { h, agentFolder } = await setUp({ channelCapabilities: { typing: true }, script: [{ type: 'reply', text: 'ok' }] });
    await post(h, [{ name: 'x.pdf', mimeType: 'application/pdf', data: photo }]);
    expect(lastPrompt(h)).toContain('[file: x.pdf — not downloadable from fake]');
    expect(existsSync(join(agentFolder, 'inbox'))).toBe(false);
    expect(h.texts()).toEqual(['ok']);
  });

  it('refuses a symbolic link planted as the inbox or as the date folder, and the turn goes on', async () => {
    const { h, agentFolder } = await setUp({
      script: [
        { type: 'reply', text: 'one' },
        { type: 'reply', text: 'two' },
      ],
    });
    const outside = join(h.directory, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(agentFolder, 'inbox'));
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: photo }]);
    expect(lastPrompt(h)).toContain('[image: photo.jpg — not saved: inbox is a symbolic link, not a folder]');
    expect(readdirSync(outside)).toEqual([]);

    rmSync(join(agentFolder, 'inbox'));
    mkdirSync(join(agentFolder, 'inbox'));
    symlinkSync(outside, join(agentFolder, 'inbox', '2026-12-01'));
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: photo }]);
    expect(lastPrompt(h)).toContain('[image: photo.jpg — not saved: inbox/2026-12-01 is a symbolic link, not a folder]');
    expect(readdirSync(outside)).toEqual([]);
    expect(h.texts()).toEqual(['one', 'two']);
  });

  it('cleans hostile names: no separators, no .., no NUL, at most 255 bytes with the extension kept', async () => {
    const { h, day } = await setUp({ script: [{ type: 'reply', text: 'ok' }] });
    const data = new Uint8Array([7]);
    await post(h, [
      { name: '../../escape.txt', mimeType: 'text/plain', data },
      { name: 'nul\0byte.txt', mimeType: 'text/plain', data },
      { name: `${'a'.repeat(300)}.pdf`, mimeType: 'application/pdf', data },
      { name: '..', mimeType: 'text/plain', data },
    ]);
    const names = readdirSync(day);
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).not.toMatch(/\.\.|[/\\\0]/);
    }
    expect(names.filter((name) => name.startsWith('aaaa'))[0]).toMatch(/^a+-[0-9a-f]{8}\.pdf$/);
    expect(names.some((name) => /^file-[0-9a-f]{8}$/.test(name))).toBe(true);
    expect(existsSync(join(h.directory, 'agents', 'andy', 'escape.txt'))).toBe(false);
    expect(lastPrompt(h)).toContain('[file: _._escape.txt — saved to /workspace/agent/inbox/2026-12-01/_._escape-');
  });

  it('a retried turn does not download the same attachment again', async () => {
    const clock = createManualClock();
    const { h, day } = await setUp({
      clock,
      leaseMs: 3_600_000,
      retryDelaysMs: [5_000],
      runtime: runtimeWhoseFirstAcquireFails(),
      script: [
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
        { type: 'reply', text: 'second try' },
      ],
    });
    await post(h, [{ name: 'photo.jpg', mimeType: 'image/jpeg', data: photo }]);
    await clock.advance(5_000);
    await h.gateway.idle();
    expect(h.texts()).toEqual(['second try']);
    expect(h.channel.fetches).toHaveLength(1);
    const [name] = readdirSync(day);
    expect(lastPrompt(h, 0)).toContain(`saved to /workspace/agent/inbox/2026-12-01/${name}]`);
    expect(lastPrompt(h, 1)).toContain(`saved to /workspace/agent/inbox/2026-12-01/${name}]`);
  });
});
