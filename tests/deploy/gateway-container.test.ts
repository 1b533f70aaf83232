import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithDocker } from '../../apps/cli/test/docker-gate';

// The deployment of docs/deployment.md, as an operator runs it: the gateway image built by its script,
// `ngb init` run by the image, the gateway started by docker-compose from deploy/compose.yaml (with a
// test override: a private network the fake model listens on, a free loopback port, a health check
// every second), then /healthz, the token, and one web chat turn whose tool call runs in a sandbox
// that the containerised gateway starts through the host's engine.

const repository = fileURLToPath(new URL('../..', import.meta.url));
const composeFile = join(repository, 'deploy/compose.yaml');
const image = 'ngb-gateway:latest';
const token = randomBytes(24).toString('hex');
const suffix = randomBytes(4).toString('hex');
const network = `ngb-deploy-test-${suffix}`;
const composeProject = `ngbdeploy${suffix}`;

interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

function command(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  return new Promise<Finished>((resolve) => {
    execFile(
      file,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && code === -1 ? error.message : '') });
      },
    );
  });
}

async function must(file: string, args: readonly string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }) {
  const result = await command(file, args, options);
  if (result.code !== 0)
    throw new Error(`${file} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let project = '';
let model: FakeLlmServer | undefined;
let composeEnv: NodeJS.ProcessEnv = {};
let override = '';
let started = false;
const compose = (...args: string[]) => ['-p', composeProject, '-f', composeFile, '-f', override, ...args];

describeWithDocker('the gateway in a container (deploy/compose.yaml)', () => {
  beforeAll(async () => {
    const composeVersion = await command('docker-compose', ['version', '--short']);
    if (composeVersion.code !== 0) {
      throw new Error('docker-compose is missing: install it (`apt-get install docker-compose`, or `bash .ci/system.sh`)');
    }
    const built = Date.now();
    await must('node', [join(repository, 'container-images/gateway/build.mjs')], { timeoutMs: 600_000 });
    process.stdout.write(`[gateway image] build script: ${((Date.now() - built) / 1000).toFixed(1)} s\n`);

    // The project, owned by the image's user, at the same absolute path inside and outside.
    project = realpathSync(mkdtempSync(join(tmpdir(), 'ngb-deploy-')));
    const uid = process.getuid?.() ?? 0;
    if (uid === 0) chownSync(project, 1000, 1000);
    else if (uid !== 1000) throw new Error(`run this test as root or as uid 1000 (the image's user), not uid ${uid}`);
    // `init` and the refusal below need no network: none, so they depend on no bridge of the host.
    await must('docker', ['run', '--rm', '--network', 'none', '-v', `${project}:${project}`, '-w', project, image, 'init']);
    const configFile = join(project, 'ngb.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { runtime: Record<string, unknown> };
    // The gateway does not run as root, and agents' size limits need root (loop mounts).
    config.runtime.diskLimits = 'off';
    writeFileSync(configFile, JSON.stringify(config, null, 2));

    // A network of this test's own; the fake model listens on its gateway address, on this host.
    await must('docker', ['network', 'create', network]);
    const gatewayAddress = (
      await must('docker', ['network', 'inspect', network, '--format', '{{(index .IPAM.Config 0).Gateway}}'])
    ).trim();
    model = await createFakeLlmServer({ acceptAnyModel: true, host: gatewayAddress });

    override = join(project, '.ngb', 'compose.test.yaml');
    writeFileSync(
      override,
      [
        'services:',
        '  gateway:',
        '    restart: "no"',
        '    healthcheck:',
        '      interval: 1s',
        '      start_period: 0s',
        'networks:',
        '  default:',
        '    external: true',
        `    name: ${network}`,
        '',
      ].join('\n'),
    );
    const socketGroup = (await must('stat', ['-c', '%g', '/var/run/docker.sock'])).trim();
    composeEnv = {
      PATH: process.env.PATH,
      NGB_PROJECT: project,
      NGB_DASHBOARD_TOKEN: token,
      DOCKER_GID: socketGroup,
      // `127.0.0.1:` + `:7070` = `127.0.0.1::7070`: a free port of this host's loopback.
      NGB_PUBLISH: '127.0.0.1:',
      OPENAI_BASE_URL: `${model.url}/v1`,
    };
  }, 660_000);

  afterAll(async () => {
    if (started) {
      const logs = await command('docker-compose', compose('logs', '--no-color'), { env: composeEnv });
      if (!logs.stdout.includes('stopped in')) process.stdout.write(logs.stdout);
      await command('docker-compose', compose('down', '--timeout', '20'), { env: composeEnv, timeoutMs: 60_000 });
    }
    await model?.close();
    await command('docker', ['network', 'rm', network]);
    if (project) rmSync(project, { recursive: true, force: true });
  }, 90_000);

  it('refuses to start without a dashboard token (it listens on every address of the container)', async () => {
    const refused = await command('docker', [
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${project}:${project}`,
      '-w',
      project,
      image,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to listen on 0.0.0.0 without an auth token');
  });

  it('starts with docker-compose, turns healthy, keeps its API behind the token and answers a web chat turn from a sandbox', async () => {
    const config = await command('docker-compose', compose('config', '--quiet'), { env: composeEnv });
    expect(config.stderr).toBe('');
    expect(config.code).toBe(0);

    const startedAt = Date.now();
    started = true;
    await must('docker-compose', compose('up', '-d'), { env: composeEnv, timeoutMs: 120_000 });
    const container = (await must('docker-compose', compose('ps', '-q', 'gateway'), { env: composeEnv })).trim();
    const published = (await must('docker', ['port', container, '7070/tcp'])).trim().split('\n')[0] ?? '';
    expect(published).toMatch(/^127\.0\.0\.1:\d+$/);
    const url = `http://${published}`;
    await until(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), '/healthz', 60_000);
    const healthzMs = Date.now() - startedAt;
    await until(
      async () =>
        (await must('docker', ['inspect', '--format', '{{.State.Health.Status}}', container])).trim() === 'healthy'
          ? true
          : undefined,
      'the container health check',
      30_000,
    );
    process.stdout.write(`[gateway container] up -d to /healthz: ${healthzMs} ms; healthy: ${Date.now() - startedAt} ms\n`);

    // Hardened as the compose file says: not root, read-only root, no capabilities.
    const inspected = JSON.parse(await must('docker', ['inspect', container]))[0] as {
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] };
    };
    expect(inspected.Config.User).toBe('1000:1000');
    expect(inspected.HostConfig.ReadonlyRootfs).toBe(true);
    expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);

    expect((await fetch(`${url}/api/chat/history`)).status).toBe(401);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: url };
    const agentMessages = async () => {
      const response = await fetch(`${url}/api/chat/history`, { headers });
      const body = (await response.json()) as { messages: Array<{ from: string; text: string }> };
      return body.messages.filter((message) => message.from === 'agent').map((message) => message.text);
    };
    /** Sends a text as the dashboard's owner; resolves with the first new answer matching `expected` (replies stream in as edits). */
    const say = async (text: string, expected: RegExp) => {
      const before = (await agentMessages()).length;
      const sent = await fetch(`${url}/api/chat/messages`, { method: 'POST', headers, body: JSON.stringify({ text }) });
      expect(sent.status).toBe(202);
      let seen: string[] = [];
      try {
        return await until(
          async () => {
            seen = (await agentMessages()).slice(before);
            return seen.find((answer) => expected.test(answer));
          },
          `an answer to "${text}" matching ${expected}`,
          60_000,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; the answers so far: ${JSON.stringify(seen)}`);
      }
    };
    const logs = (await must('docker', ['logs', container], { env: composeEnv })).toString();
    const claimCode = /send \/claim ([0-9A-Z]{10})/.exec(logs)?.[1];
    expect(claimCode, logs).toBeDefined();
    await say(`/claim ${claimCode}`, /^You are now the owner/);

    // The fake model answers "run: <command>" with a bash tool call: the sandbox runs it in the agent
    // folder, which the engine mounted from this host's path.
    const marker = randomBytes(6).toString('hex');
    writeFileSync(join(project, 'agents/main/marker.txt'), `${marker}\n`);
    const answer = await say('run: id -u; cat /workspace/agent/marker.txt', new RegExp(marker));
    expect(answer).toContain('exit code: 0');
    expect(answer).toMatch(/stdout:\n1000\n/);
    expect(model?.requests().length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
