import { readFile } from 'node:fs/promises';

/** Reads the memory accounting of the cgroup the sandbox runs in. */
export interface MemoryProbe {
  /** How many processes the kernel has killed for lack of memory so far; undefined when unknown. */
  oomKills(): Promise<number | undefined>;
  /** The memory limit in bytes; undefined when unlimited or unknown. */
  limitBytes(): Promise<number | undefined>;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function counter(text: string | undefined, key: string): number | undefined {
  const match = text?.match(new RegExp(`^${key} (\\d+)$`, 'm'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * A probe over cgroup v2 (`memory.events`, `memory.max`) or v1 (`memory/memory.oom_control`,
 * `memory/memory.limit_in_bytes`) mounted at `cgroupRoot`.
 */
export function createCgroupMemoryProbe(cgroupRoot = '/sys/fs/cgroup'): MemoryProbe {
  return {
    async oomKills() {
      const v2 = counter(await readText(`${cgroupRoot}/memory.events`), 'oom_kill');
      return v2 ?? counter(await readText(`${cgroupRoot}/memory/memory.oom_control`), 'oom_kill');
    },
    async limitBytes() {
      const raw = (await readText(`${cgroupRoot}/memory.max`)) ?? (await readText(`${cgroupRoot}/memory/memory.limit_in_bytes`));
      const value = Number(raw?.trim());
      // cgroup v1 reports "no limit" as a huge number close to 2^63.
      return Number.isFinite(value) && value > 0 && value < 2 ** 60 ? value : undefined;
    },
  };
}
