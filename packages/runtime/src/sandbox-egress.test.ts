import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxError } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkEgressFolder, removeStaleEgressFolders } from './sandbox-egress';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'ngb-egress-folder-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('checkEgressFolder', () => {
  it('refuses a socket folder inside the agent folder, or holding it', async () => {
    const agent = join(base, 'agents', 'main');
    await mkdir(agent, { recursive: true });
    for (const folder of [join(agent, 'egress'), join(base, 'agents')]) {
      const error = await checkEgressFolder(folder, agent).catch((caught: unknown) => caught);
      expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
      expect((error as Error).message).toMatch(/must not hold one another/);
    }
    await expect(checkEgressFolder(join(base, 'egress'), agent)).resolves.toBeUndefined();
  });

  it('refuses a folder whose sockets would not fit a unix socket path', async () => {
    const error = await checkEgressFolder(join(base, 'x'.repeat(80)), join(base, 'agent')).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/too long for a unix socket path/);
  });
});

describe('removeStaleEgressFolders', () => {
  it('removes the folders no proxy listens in, and keeps a live one', async () => {
    const live = join(base, '00000000000000aa');
    const dead = join(base, '00000000000000bb');
    await mkdir(live);
    await mkdir(dead);
    await writeFile(join(dead, 'egress.sock'), '');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(live, 'egress.sock'), resolve));
    try {
      expect(await removeStaleEgressFolders(base)).toBe(1);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(dead)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
