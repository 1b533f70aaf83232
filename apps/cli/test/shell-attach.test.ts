import { execFileSync } from 'node:child_process';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliBin, createProject, runCli, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

const socket = `ngb-cli-attach-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

let server: FakeLlmServer;
beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
});
afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // No tmux session was started.
  }
  await server?.close();
});

describe('ngb shell --attach with the local runtime', { timeout: 60_000 }, () => {
  it('is refused in one line: there is no container to attach to', async () => {
    const project = await createProject('attach-local', (config) => {
      config.runtime = { driver: 'local' };
    });
    try {
      const result = await runCli(['shell', '--attach'], { cwd: project.dir, env: { OPENAI_BASE_URL: `${server.url}/v1` } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('NOT ISOLATED');
      expect(result.stderr).toContain('✖ --attach needs the Docker runtime: the local runtime has no container');
    } finally {
      project.remove();
    }
  });
});

describeWithDocker('ngb shell --attach with Docker', () => {
  it("opens bash in the session's sandbox as uid 1000 in /workspace/agent", async () => {
    const project = await createProject('attach-docker', (config) => {
      config.runtime = { driver: 'docker' };
    });
    try {
      const command = [
        'env',
        `OPENAI_BASE_URL=${quote(`${server.url}/v1`)}`,
        'NO_COLOR=1',
        quote(process.execPath),
        quote(cliBin),
        'shell',
        '--attach',
      ].join(' ');
      tmux(
        'new-session',
        '-d',
        '-s',
        'attach',
        '-x',
        '200',
        '-y',
        '50',
        '-c',
        project.dir,
        `${command}; echo "[exited $?]"; sleep 120`,
      );
      const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'attach', '-S', '-200');
      await waitFor(() => /node@[0-9a-f]+:\/workspace\/agent\$ $/m.test(screen()), 'the bash prompt in the container', 30_000);
      tmux('send-keys', '-t', 'attach', '-l', 'echo "uid=$(id -u) in $(pwd)"; ls');
      tmux('send-keys', '-t', 'attach', 'Enter');
      // The two commands' output reaches the pane one after the other: each is waited for.
      await waitFor(() => screen().includes('uid=1000 in /workspace/agent'), 'the command output');
      await waitFor(() => screen().includes('AGENTS.md'), 'the listing of the agent folder');
      tmux('send-keys', '-t', 'attach', '-l', 'exit');
      tmux('send-keys', '-t', 'attach', 'Enter');
      await waitFor(() => screen().includes('[exited 0]'), 'the attach to end');
      expect(screen()).toMatch(/talk in it with `ngb shell --resume [0-9a-f]{8}`/);
    } finally {
      project.remove();
    }
  }, 60_000);
});
