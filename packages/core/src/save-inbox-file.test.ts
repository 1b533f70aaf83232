import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDescriptors, isRefusal, openAgentFolder, openChildFolder, verifyDescriptor } from './agent-folder-descriptors';
import { safeFileName } from './safe-file-name';
import { type InboxFileRequest, saveInboxFile } from './save-inbox-file';

let root: string;
let agents: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ngb-inbox-'));
  agents = join(root, 'agents');
  outside = join(root, 'outside');
  mkdirSync(join(agents, 'andy'), { recursive: true });
  mkdirSync(outside);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const bytes = (text: string) => new TextEncoder().encode(text);
async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield bytes(part);
}
const request = (extra: Partial<InboxFileRequest> = {}): InboxFileRequest => ({
  agentsDirectory: agents,
  folder: 'andy',
  date: '2026-12-01',
  fileName: 'photo-1a2b3c4d.jpg',
  maxBytes: 100,
  download: async () => chunks('abc', 'def'),
  ...extra,
});
const day = () => join(agents, 'andy', 'inbox', '2026-12-01');

describe('saveInboxFile', () => {
  it('saves the bytes under inbox/<date>/<name> and leaves no partial file', async () => {
    expect(await saveInboxFile(request())).toEqual({
      status: 'saved',
      relativePath: 'inbox/2026-12-01/photo-1a2b3c4d.jpg',
      bytes: 6,
    });
    expect(readFileSync(join(day(), 'photo-1a2b3c4d.jpg'), 'utf8')).toBe('abcdef');
    expect(readdirSync(day())).toEqual(['photo-1a2b3c4d.jpg']);
  });

  it('does not download a file an earlier try saved', async () => {
    await saveInboxFile(request());
    let downloads = 0;
    const again = await saveInboxFile(
      request({
        download: async () => {
          downloads += 1;
          return chunks('other');
        },
      }),
    );
    expect(again).toEqual({ status: 'present', relativePath: 'inbox/2026-12-01/photo-1a2b3c4d.jpg' });
    expect(downloads).toBe(0);
  });

  it('counts the bytes it writes and stops past the cap, leaving nothing behind', async () => {
    const result = await saveInboxFile(request({ maxBytes: 5 }));
    expect(result).toEqual({ status: 'refused', reason: 'larger than the 5 bytes limit' });
    expect(readdirSync(day())).toEqual([]);
  });

  it('reports a failed download in words and leaves nothing behind', async () => {
    const result = await saveInboxFile(
      request({
        download: async () => {
          throw new Error('connection reset');
        },
      }),
    );
    expect(result).toEqual({ status: 'refused', reason: 'the download failed (connection reset)' });
    expect(readdirSync(day())).toEqual([]);
  });

  it('refuses a symbolic link planted as inbox, never writing through it', async () => {
    symlinkSync(outside, join(agents, 'andy', 'inbox'));
    expect(await saveInboxFile(request())).toEqual({ status: 'refused', reason: 'inbox is a symbolic link, not a folder' });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a symbolic link planted as the date folder', async () => {
    mkdirSync(join(agents, 'andy', 'inbox'));
    symlinkSync(outside, day());
    expect(await saveInboxFile(request())).toEqual({
      status: 'refused',
      reason: 'inbox/2026-12-01 is a symbolic link, not a folder',
    });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a symbolic link planted at the file name, leaving its target untouched', async () => {
    mkdirSync(day(), { recursive: true });
    writeFileSync(join(outside, 'secret'), 'keep');
    symlinkSync(join(outside, 'secret'), join(day(), 'photo-1a2b3c4d.jpg'));
    expect(await saveInboxFile(request())).toEqual({
      status: 'refused',
      reason: 'inbox/2026-12-01/photo-1a2b3c4d.jpg is a symbolic link',
    });
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('keep');
  });

  it('refuses when the date folder is swapped for a link while the file downloads', async () => {
    const result = await saveInboxFile(
      request({
        download: async () => {
          renameSync(day(), join(agents, 'andy', 'moved'));
          symlinkSync(outside, day());
          return chunks('abc');
        },
      }),
    );
    expect(result).toEqual({ status: 'refused', reason: 'inbox/2026-12-01 was moved or replaced while it was opened' });
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(join(agents, 'andy', 'moved'))).toEqual([]);
  });

  it('catches a folder moved after it was opened', () => {
    const descriptors: number[] = [];
    try {
      const agent = openAgentFolder(agents, 'andy', descriptors);
      if (isRefusal(agent)) throw new Error(agent.refused);
      const inbox = openChildFolder(agent, 'inbox', descriptors, {});
      if (isRefusal(inbox)) throw new Error(inbox.refused);
      expect(verifyDescriptor(inbox.descriptor, inbox.realPath, 'inbox')).toBeUndefined();
      renameSync(join(agents, 'andy', 'inbox'), join(agents, 'andy', 'elsewhere'));
      symlinkSync(outside, join(agents, 'andy', 'inbox'));
      expect(verifyDescriptor(inbox.descriptor, inbox.realPath, 'inbox')).toEqual({
        refused: 'inbox was moved or replaced while it was opened',
      });
    } finally {
      closeDescriptors(descriptors);
    }
  });

  it('refuses an agent folder that is a link', async () => {
    symlinkSync(outside, join(agents, 'linked'));
    expect(await saveInboxFile(request({ folder: 'linked' }))).toEqual({
      status: 'refused',
      reason: 'the agent folder is a symbolic link, not a folder',
    });
    expect(existsSync(join(outside, 'inbox'))).toBe(false);
  });
});

describe('safeFileName', () => {
  const nameBytes = (name: string) => Buffer.byteLength(name, 'utf8');

  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', '_._etc_passwd'],
    ['..', 'file'],
    ['', 'file'],
    [undefined, 'file'],
    ['a\0b\nc.txt', 'a_b_c.txt'],
    ['.hidden', 'hidden'],
    ['dir\\name.pdf', 'dir_name.pdf'],
    ['evil\u202egpj.exe', 'evil_gpj.exe'],
    ['notes...txt', 'notes.txt'],
  ])('cleans %j into %j', (name, shown) => {
    expect(safeFileName(name).shown).toBe(shown);
  });

  it('cuts a long name to 255 bytes of UTF-8 with its suffix, keeping the extension and whole characters', () => {
    const { shown, fileName } = safeFileName(`${'é'.repeat(150)}.jpeg`, '-1a2b3c4d');
    expect(nameBytes(shown)).toBeLessThanOrEqual(255);
    expect(nameBytes(fileName)).toBeLessThanOrEqual(255);
    expect(nameBytes(fileName)).toBeGreaterThan(250);
    expect(fileName.endsWith('é-1a2b3c4d.jpeg')).toBe(true);
    expect(shown.endsWith('é.jpeg')).toBe(true);
  });
});
