import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, localRuntime, runCli } from './cli-harness';

let server: FakeLlmServer;
let project: { dir: string; remove: () => void };
const sessions: string[] = [];

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('session', localRuntime);
  for (const prompt of ['first session', 'second session']) {
    const result = await runCli(['run', '-p', prompt, '--json'], {
      cwd: project.dir,
      env: { OPENAI_BASE_URL: `${server.url}/v1` },
    });
    if (result.code !== 0) throw new Error(result.stderr);
    sessions.push(JSON.parse(result.stdout).sessionId);
  }
});
afterAll(async () => {
  await server?.close();
  project?.remove();
});

const ngb = (args: string[]) => runCli(args, { cwd: project.dir });

describe('ngb session', { timeout: 60_000 }, () => {
  it('ls lists the sessions with agent, status and turn count', async () => {
    const result = await ngb(['session', 'ls']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+AGENT\s+CHAT\s+STATUS\s+TURNS\s+LAST ACTIVE$/);
    for (const id of sessions)
      expect(result.stdout).toMatch(new RegExp(`^${id.slice(0, 8)}\\s+main\\s+cli:run\\s+active\\s+1\\s`, 'm'));
    const json = JSON.parse((await ngb(['session', 'ls', '--json'])).stdout);
    expect(json.map((session: { id: string }) => session.id)).toEqual(sessions);
  });

  it('`ngb session` alone lists them too', async () => {
    const result = await ngb(['session']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(sessions[0]?.slice(0, 8));
  });

  it('show takes an id prefix and prints the turns and the transcript', async () => {
    const result = await ngb(['session', 'show', sessions[0]?.slice(0, 6) ?? '']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`session  ${sessions[0]} (active)`);
    expect(result.stdout).toContain('turns (1)');
    expect(result.stdout).toMatch(/✓ [0-9a-f]{8} succeeded/);
    expect(result.stdout).toContain('you: first session');
    expect(result.stdout).toContain('main: echo: first session');
    const json = JSON.parse((await ngb(['session', 'show', sessions[0] ?? '', '--json'])).stdout);
    expect(json.session.id).toBe(sessions[0]);
    expect(json.transcript.length).toBeGreaterThanOrEqual(2);
  });

  it('kill closes the session; killing it again says so', async () => {
    const first = await ngb(['session', 'kill', sessions[1]?.slice(0, 8) ?? '']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`session ${sessions[1]?.slice(0, 8)} closed`);
    const listed = await ngb(['session', 'ls', '--active']);
    expect(listed.stdout).not.toContain(sessions[1]?.slice(0, 8));
    expect(listed.stdout).toContain(sessions[0]?.slice(0, 8));
    const again = await ngb(['session', 'kill', sessions[1] ?? '']);
    expect(again.stdout).toContain('was already closed');
  });

  it('an unknown id is one line and exit 1, for show, kill and resume', async () => {
    for (const action of ['show', 'kill', 'resume']) {
      const result = await ngb(['session', action, 'zzzz']);
      expect(result.code, action).toBe(1);
      expect(result.stderr.trim(), action).toBe('✖ unknown session "zzzz" (`ngb session ls` lists them)');
    }
  });
});
