import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

let built: Promise<string> | undefined;

/**
 * Bundles @ngb/sandbox's program from its sources into a temporary file, once per test process,
 * so that tests of the local runtime run the current code without a `pnpm build`.
 */
export function buildSandboxProgram(): Promise<string> {
  built ??= (async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'ngb-sandbox-program-'));
    const outfile = path.join(directory, 'bin.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../../../sandbox/src/bin.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return built;
}
