import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { expect, it, onTestFinished } from 'vitest';
import { cliBin, cliEnv, runCli, useProjectWithModel, waitFor } from './cli-harness';
import { describeWithDocker } from './docker-gate';

interface ContainerSummary {
  Id: string;
  State: string;
}

function containersOfSession(sessionId: string): Promise<ContainerSummary[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`ngb.session=${sessionId}`] }));
  return new Promise((resolve, reject) => {
    const call = request(
      { socketPath: '/var/run/docker.sock', path: `/containers/json?all=true&filters=${filters}` },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => resolve(JSON.parse(body) as ContainerSummary[]));
      },
    );
    call.on('error', reject);
    call.end();
  });
}

interface ShownSession {
  turns: Array<{ status: string; error?: string }>;
}

describeWithDocker('ngb run killed with SIGKILL in the middle of a turn', () => {
  const fixture = useProjectWithModel('run-killed', (config) => {
    config.runtime = { driver: 'docker' };
  });

  const show = async (sessionId: string): Promise<ShownSession> =>
    JSON.parse((await runCli(['session', 'show', sessionId, '--json'], { cwd: fixture.project.dir })).stdout) as ShownSession;

  const sessionIds = async (): Promise<string[]> => {
    const listed = await runCli(['session', 'ls', '--json'], { cwd: fixture.project.dir });
    return listed.code === 0 ? (JSON.parse(listed.stdout) as Array<{ id: string }>).map((session) => session.id) : [];
  };

  /** Starts `ngb run` with a long tool call; resolves once its sandbox container exists (mid-turn). */
  const startLongRun = async (known: readonly string[]) => {
    const child = spawn(process.execPath, [cliBin, 'run', '-p', 'run: sleep 120'], {
      cwd: fixture.project.dir,
      env: cliEnv(fixture.model),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    const sessionId = await waitFor(
      async () => (await sessionIds()).find((id) => !known.includes(id)),
      'the session of the run',
      90_000,
    );
    const [container] = await waitFor(
      async () => {
        const found = await containersOfSession(sessionId);
        return found.length > 0 && found;
      },
      'the sandbox container of the run',
      90_000,
    );
    return { child, exited, sessionId, containerId: container?.Id };
  };

  // Four CLI processes and two container starts: a loaded machine needs more than the default minute.
  it('the next run removes its container and ends its turn as failed, naming the dead process; a live run is left alone', {
    timeout: 240_000,
  }, async () => {
    const killed = await startLongRun([]);
    const alive = await startLongRun([killed.sessionId]);
    killed.child.kill('SIGKILL');
    await killed.exited;

    // What the kill leaves: a container nobody will remove and a turn that says it is running.
    expect((await containersOfSession(killed.sessionId)).map((found) => found.Id)).toEqual([killed.containerId]);
    expect((await show(killed.sessionId)).turns.map((turn) => turn.status)).toEqual(['running']);

    const next = await runCli(['run', '-p', 'hello again'], { cwd: fixture.project.dir, env: fixture.model, timeoutMs: 90_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe('echo: hello again\n');
    expect(await containersOfSession(killed.sessionId)).toEqual([]);
    const [turn] = (await show(killed.sessionId)).turns;
    expect(turn?.status).toBe('failed');
    expect(turn?.error).toBe(
      `the \`ngb run\` process (pid ${killed.child.pid}) running this turn ended before the turn did (killed or crashed)`,
    );

    // The run still in its turn keeps its sandbox and its running turn.
    expect(await containersOfSession(alive.sessionId)).toEqual([
      expect.objectContaining({ Id: alive.containerId, State: 'running' }),
    ]);
    expect((await show(alive.sessionId)).turns.map((found) => found.status)).toEqual(['running']);
    alive.child.kill('SIGTERM');
    await alive.exited;
    expect(await containersOfSession(alive.sessionId)).toEqual([]);
  });
});
