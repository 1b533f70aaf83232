import { execFile } from 'node:child_process';
import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles `disk-limit-probe.ts` from sources (beside this package, so that its dependencies resolve) and
 * runs it as another user; resolves with the JSON line it prints.
 */
export async function probeDiskLimitAs(
  uid: number,
  args: { imageFolder: string; agentFolder: string; image: string },
): Promise<{ started?: string; reason?: string; message?: string }> {
  const directory = path.join(packageDirectory, `.ngb-test-probe-${process.pid}`);
  await mkdir(directory, { recursive: true });
  await chmod(directory, 0o755);
  const outfile = path.join(directory, 'disk-limit-probe.mjs');
  try {
    await build({
      entryPoints: [fileURLToPath(new URL('./disk-limit-probe.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      tsconfig: path.join(packageDirectory, 'tsconfig.json'),
      logLevel: 'silent',
    });
    await chmod(outfile, 0o644);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [outfile, args.imageFolder, args.agentFolder, args.image],
        { uid, gid: uid, timeout: 30_000, env: { PATH: '/usr/bin:/bin' } },
        (error, out, err) => (error ? reject(new Error(`the probe failed: ${err || error.message}`)) : resolve(out)),
      );
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
