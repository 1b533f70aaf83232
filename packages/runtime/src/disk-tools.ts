import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from '@ngb/plugin-sdk';

/** Absolute paths of the programs that make, check, grow and mount the agent disk images. */
export interface DiskTools {
  mkfs: string;
  e2fsck: string;
  resize2fs: string;
  mount: string;
  umount: string;
  losetup: string;
}

/** Where the tools are looked for (the library never reads `PATH`). */
export const defaultToolDirectories = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const wanted: Record<keyof DiskTools, { program: string; debianPackage: string }> = {
  mkfs: { program: 'mkfs.ext4', debianPackage: 'e2fsprogs' },
  e2fsck: { program: 'e2fsck', debianPackage: 'e2fsprogs' },
  resize2fs: { program: 'resize2fs', debianPackage: 'e2fsprogs' },
  mount: { program: 'mount', debianPackage: 'mount' },
  umount: { program: 'umount', debianPackage: 'mount' },
  losetup: { program: 'losetup', debianPackage: 'mount' },
};

async function find(program: string, directories: readonly string[]): Promise<string | undefined> {
  for (const directory of directories) {
    const candidate = path.join(directory, program);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/**
 * Finds every tool the disk images need.
 * @throws SandboxError `disk_limit` naming the missing programs and the packages that hold them
 */
export async function findDiskTools(directories: readonly string[]): Promise<DiskTools> {
  const found: Partial<DiskTools> = {};
  const missing: Array<{ program: string; debianPackage: string }> = [];
  for (const [key, tool] of Object.entries(wanted) as Array<[keyof DiskTools, (typeof wanted)[keyof DiskTools]]>) {
    const location = await find(tool.program, directories);
    if (location) found[key] = location;
    else missing.push(tool);
  }
  if (missing.length === 0) return found as DiskTools;
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))].join(' ');
  throw new SandboxError(
    'disk_limit',
    `[@ngb/runtime] the size limit of agent folders needs ${missing.map((tool) => tool.program).join(', ')}, ` +
      `not found in ${directories.join(':')}: install them (\`apt-get install ${packages}\`), ` +
      "or pass `diskLimit: 'unlimited'` to let agents write without a limit",
  );
}

/**
 * Runs one tool with an argument array (never a shell) and resolves with its output.
 * @throws Error carrying the tool's stderr when it fails
 */
export function runDiskTool(
  program: string,
  args: readonly string[],
  options: { timeoutMs?: number; fineExitCodes?: readonly number[] } = {},
): Promise<string> {
  const { timeoutMs = 120_000, fineExitCodes = [0] } = options;
  // The tools get a fixed, minimal environment: nothing of the gateway's (its secrets) leaks into them.
  const env = { LANG: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, encoding: 'utf8', env }, (error, stdout, stderr) => {
      if (!error || (typeof error.code === 'number' && fineExitCodes.includes(error.code))) {
        resolve(stdout);
        return;
      }
      const detail = (stderr || stdout || error.message).trim().split('\n').slice(-3).join(' ');
      reject(new Error(`${path.basename(program)} ${args.join(' ')} failed: ${detail}`, { cause: error }));
    });
  });
}
