import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, errorMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import type { MountAllowlist } from './mount-policy';

const allowlistSchema = v.strictObject({
  allowedRoots: v.array(
    v.strictObject({
      path: v.pipe(v.string(), v.minLength(1)),
      readWrite: v.optional(v.boolean()),
      description: v.optional(v.string()),
    }),
  ),
  blockedPatterns: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
});

/** Where the allowlist lives by default: outside every project, so an agent cannot edit it. */
export function defaultMountAllowlistPath(homeDirectory: string = os.homedir()): string {
  return path.join(homeDirectory, '.config', 'ngb', 'mount-allowlist.json');
}

/**
 * Reads the mount allowlist file. `~/` in root paths is expanded.
 * @returns undefined when the file does not exist (every extra mount is then refused)
 * @throws ConfigError naming the file and key when it is not valid
 */
export async function loadMountAllowlist(
  file: string,
  options: { homeDirectory?: string } = {},
): Promise<MountAllowlist | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`[@ngb/runtime] cannot read the mount allowlist ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`[@ngb/runtime] the mount allowlist ${file} is not valid JSON: ${errorMessage(error)}`);
  }
  const parsed = v.safeParse(allowlistSchema, value);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue ? (v.getDotPath(issue) ?? '') : '';
    throw new ConfigError(`[@ngb/runtime] the mount allowlist ${file} is invalid at \`${key}\`: ${issue?.message}`, { key });
  }
  const home = options.homeDirectory ?? os.homedir();
  return {
    allowedRoots: parsed.output.allowedRoots.map((root) => ({
      ...root,
      path: root.path === '~' ? home : root.path.startsWith('~/') ? path.join(home, root.path.slice(2)) : root.path,
    })),
    blockedPatterns: parsed.output.blockedPatterns,
  };
}
