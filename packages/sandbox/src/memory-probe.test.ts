import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCgroupMemoryProbe } from './memory-probe';

// The files as the kernel writes them (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/memory.rst).
const v2Events = 'low 0\nhigh 0\nmax 41\noom 5\noom_kill 2\noom_group_kill 0\n';
const v1OomControl = 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n';

let directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  directories = [];
});

async function cgroup(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ngb-cgroup-'));
  directories.push(root);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

describe('createCgroupMemoryProbe', () => {
  it.each([
    ['cgroup v2 with a limit', { 'memory.events': v2Events, 'memory.max': '268435456\n' }, 2, 268_435_456],
    ['cgroup v2 without a limit', { 'memory.events': v2Events, 'memory.max': 'max\n' }, 2, undefined],
    [
      'cgroup v1 with a limit',
      { 'memory/memory.oom_control': v1OomControl, 'memory/memory.limit_in_bytes': '536870912\n' },
      3,
      536_870_912,
    ],
    [
      'cgroup v1 without a limit (a page-rounded 2^63)',
      { 'memory/memory.oom_control': v1OomControl, 'memory/memory.limit_in_bytes': '9223372036854771712\n' },
      3,
      undefined,
    ],
    [
      'a v1 kernel that does not count kills',
      { 'memory/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\n' },
      undefined,
      undefined,
    ],
    ['no memory controller', {}, undefined, undefined],
  ])('reads %s', async (_case, files, kills, limit) => {
    const probe = createCgroupMemoryProbe(await cgroup(files));
    expect(await probe.oomKills()).toBe(kills);
    expect(await probe.limitBytes()).toBe(limit);
  });

  it('counts kills, not the times the limit was hit, and prefers v2 when both are mounted', async () => {
    const root = await cgroup({ 'memory.events': v2Events, 'memory/memory.oom_control': v1OomControl });
    expect(await createCgroupMemoryProbe(root).oomKills()).toBe(2);
  });
});
