import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type CliResult, cliBin, cliEnv, createProject, mountsUnder, runCli, unmountUnder } from './cli-harness';
import { describeWithDocker } from './docker-gate';

const isRoot = process.getuid?.() === 0;
// Loop mounts need root. CI runs as root, so there a missing root fails the tests instead of skipping them.
const describeAsRoot =
  isRoot || process.env.CI === 'true'
    ? describeWithDocker
    : (name: string, body: () => void) => describe.skip(`${name} (needs root)`, body);

/** Runs `ngb` as uid 1000 in the docker group, as a user who may use the engine but not mount. */
function runAsUser(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const dockerGid = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('docker:'))
    ?.split(':')[2];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      cwd,
      uid: 1000,
      gid: Number(dockerGid ?? 1000),
      env: cliEnv({ ...env, HOME: cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeAsRoot('the size limit of agent folders, from the config', () => {
  let server: FakeLlmServer;
  let project: { dir: string; remove: () => void };
  let userDir: string | undefined;
  const model = () => ({ OPENAI_BASE_URL: `${server.url}/v1` });
  beforeAll(async () => {
    assertBuilt();
    server = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject('disk-limit', (config) => {
      config.runtime = { driver: 'docker' };
      config.agents = { main: { diskLimitMb: 32 } };
    });
  });
  afterAll(async () => {
    await server?.close();
    project?.remove();
    if (userDir) {
      unmountUnder(userDir);
      rmSync(userDir, { recursive: true, force: true });
    }
  });

  it('a tool writing past `diskLimitMb` gets "No space left on device"; AGENTS.md stays readable on the host', async () => {
    const instructions = readFileSync(join(project.dir, 'agents', 'main', 'AGENTS.md'), 'utf8');
    const command = 'head -c 64M /dev/zero > big.bin; echo "exit=$?"';
    const result = await runCli(['run', '-p', `run: ${command}`, '--json'], {
      cwd: project.dir,
      env: model(),
      timeoutMs: 90_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.toolCalls[0].output).toContain('No space left on device');
    expect(output.toolCalls[0].output).toContain('exit=1');
    expect(mountsUnder(join(project.dir, 'agents', 'main'))).toEqual([join(project.dir, 'agents', 'main')]);
    expect(readFileSync(join(project.dir, 'agents', 'main', 'AGENTS.md'), 'utf8')).toBe(instructions);
  });

  it('without root, run refuses in one line naming the fix, and runs once the config turns the limit off', async () => {
    userDir = mkdtempSync(join(tmpdir(), 'ngb-cli-disk-user-'));
    chownSync(userDir, 1000, 1000);
    expect((await runAsUser(['init'], userDir, {})).code).toBe(0);
    const configFile = join(userDir, 'ngb.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, runtime: { driver: 'docker' } }));
    const refused = await runAsUser(['run', '-p', 'run: id -u'], userDir, model());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      'need root: each agent folder is loop-mounted from its own disk image, and ngb runs as uid 1000',
    );
    expect(refused.stderr).toContain('set "runtime": { "diskLimits": "off" } in ngb.config.json');
    writeFileSync(configFile, JSON.stringify({ ...config, runtime: { driver: 'docker', diskLimits: 'off' } }));
    const unlimited = await runAsUser(['run', '-p', 'run: id -u', '--json'], userDir, model());
    expect(unlimited.code, unlimited.stderr).toBe(0);
    expect(JSON.parse(unlimited.stdout).toolCalls[0].output).toMatch(/stdout:\n1000\n/);
    expect(mountsUnder(userDir)).toEqual([]);
  });
});
