import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts `crashing-gateway.ts` (bundled from sources with esbuild, beside this package so that
 * its dependencies resolve) in a child process and resolves with its sandbox's container id.
 */
export async function startCrashingGateway(args: { namespace: string; agentFolder: string; image: string }): Promise<{ child: ChildProcess; containerId: string; cleanup: () => Promise<void> }> {
  const directory = path.join(packageDirectory, `.ngb-test-${process.pid}`);
  await mkdir(directory, { recursive: true });
  const outfile = path.join(directory, 'crashing-gateway.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./crashing-gateway.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    tsconfig: path.join(packageDirectory, 'tsconfig.json'),
    logLevel: 'silent',
  });
  const cleanup = async () => {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  };
  const child = spawn(process.execPath, [outfile, args.namespace, args.agentFolder, args.image], { stdio: ['ignore', 'pipe', 'inherit'] });
  const containerId = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the gateway process exited early with code ${code}`)));
  });
  return { child, containerId, cleanup };
}
