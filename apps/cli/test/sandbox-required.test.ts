import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let server: FakeLlmServer;
let project: { dir: string; remove: () => void };
let env: Record<string, string>;
const marker = join(tmpdir(), `ngb-must-not-exist-${randomUUID()}`);

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('no-docker');
  // A Docker engine that is not there: nothing answers on this socket.
  env = { OPENAI_BASE_URL: `${server.url}/v1`, DOCKER_HOST: `unix://${join(project.dir, 'no-docker.sock')}` };
});
afterAll(async () => {
  await server?.close();
  project?.remove();
});
afterEach(() => rmSync(marker, { force: true }));

function setDriver(driver: string | undefined): void {
  const file = join(project.dir, 'ngb.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.runtime.driver = driver;
  writeFileSync(file, JSON.stringify(config));
}

describe('without a Docker engine the sandbox is not optional', { timeout: 60_000 }, () => {
  it('`ngb init` chooses Docker in the starter config', () => {
    expect(JSON.parse(readFileSync(join(project.dir, 'ngb.config.json'), 'utf8')).runtime.driver).toBe('docker');
  });

  it.each(['docker', 'auto', undefined])(
    'run with "runtime.driver": %j refuses in one line naming the fix, and the tool never runs',
    async (driver) => {
      setDriver(driver);
      const result = await runCli(['run', '-p', `run: touch ${marker}`], { cwd: project.dir, env });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^✖ refusing to run tools without a sandbox: the Docker engine is not answering at .*no-docker\.sock \(no socket\); fix: start the engine: /,
      );
      expect(result.stdout).toBe('');
      expect(existsSync(marker)).toBe(false);
      expect(server.requests()).toHaveLength(0);
    },
  );

  it('shell and serve refuse the same way', async () => {
    setDriver('docker');
    for (const args of [['shell'], ['serve']]) {
      const result = await runCli(args, { cwd: project.dir, env, input: `run: touch ${marker}\n` });
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr.trim().split('\n'), args[0]).toHaveLength(1);
      expect(result.stderr, args[0]).toContain('refusing to run tools without a sandbox');
    }
    expect(existsSync(marker)).toBe(false);
    expect(server.requests()).toHaveLength(0);
  });

  it('`--runtime local` chooses the local runtime explicitly: the tool runs, and the run says NOT ISOLATED', async () => {
    setDriver('docker');
    const result = await runCli(['run', '--runtime', 'local', '-p', `run: touch ${marker}`], { cwd: project.dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^⚠ NOT ISOLATED: --runtime local, so tools run directly on this machine/m);
    expect(existsSync(marker)).toBe(true);
  });

  it('an unknown --runtime is one line, and nothing runs', async () => {
    const result = await runCli(['run', '--runtime', 'host', '-p', `run: touch ${marker}`], { cwd: project.dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('✖ --runtime must be "docker" or "local", not "host"');
    expect(existsSync(marker)).toBe(false);
  });
});
