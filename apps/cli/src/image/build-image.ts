import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliExit, fail } from '../cli-error';
import { printNote } from '../output';
import { formatDuration } from '../render/format';

/** Where the repository's build script is, seen from the built CLI (`apps/cli/dist/*.js`) or its sources. */
function findBuildScript(): string | undefined {
  const candidates = ['../../../container-images/agent/build.mjs', '../../../../container-images/agent/build.mjs'];
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** `ngb image build`: runs `container-images/agent/build.mjs`, which prints each step as it goes. */
export async function buildImage(flags: { base: string | undefined; image: string | undefined }): Promise<void> {
  if (flags.base !== undefined && !['auto', 'registry', 'offline'].includes(flags.base)) {
    fail(`--base must be auto, registry or offline, not "${flags.base}"`);
  }
  const script = findBuildScript();
  if (script === undefined) {
    fail(
      'the sandbox image build script is not part of this installation: in a clone of the ngb repository run ' +
        '`pnpm install && pnpm build && node container-images/agent/build.mjs`',
    );
  }
  const args = [script, ...(flags.base ? ['--base', flags.base] : []), ...(flags.image ? ['--image', flags.image] : [])];
  printNote(`running ${script}`);
  const started = Date.now();
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  if (code !== 0)
    throw new CliExit(
      code,
      `ngb image build: the build failed (exit code ${code}) after ${formatDuration(Date.now() - started)}`,
    );
  printNote(`image ready in ${formatDuration(Date.now() - started)}`);
}
