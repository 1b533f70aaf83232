import { request } from 'node:http';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';
import { describeWithDocker } from './docker-gate';

function containersOfSession(sessionId: string): Promise<unknown[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`ngb.session=${sessionId}`] }));
  return new Promise((resolve, reject) => {
    const call = request(
      { socketPath: '/var/run/docker.sock', path: `/containers/json?all=true&filters=${filters}` },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        response.on('end', () => resolve(JSON.parse(body) as unknown[]));
      },
    );
    call.on('error', reject);
    call.end();
  });
}

describeWithDocker('ngb run with a tool call in the Docker sandbox', () => {
  let server: FakeLlmServer;
  let project: { dir: string; remove: () => void };
  beforeAll(async () => {
    assertBuilt();
    server = await createFakeLlmServer({ acceptAnyModel: true });
    project = await createProject('run-docker', (config) => {
      config.runtime = { driver: 'docker' };
    });
  });
  afterAll(async () => {
    await server?.close();
    project?.remove();
  });

  it('runs bash in the hardened container (uid 1000, no network), streams the call, and removes the container', async () => {
    const command = 'id -u; ls /sys/class/net';
    const result = await runCli(['run', '-p', `run: ${command}`, '--json', '--stream'], {
      cwd: project.dir,
      env: { OPENAI_BASE_URL: `${server.url}/v1` },
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('NOT ISOLATED');
    expect(result.stderr).toContain(`⚙ bash  ${command}`);
    const output = JSON.parse(result.stdout);
    expect(output.runtime).toBe('docker');
    expect(output.toolCalls).toHaveLength(1);
    expect(output.toolCalls[0]).toMatchObject({ name: 'bash', input: { command }, isError: false });
    const toolOutput: string = output.toolCalls[0].output;
    expect(toolOutput).toMatch(/stdout:\n1000\n/);
    expect(toolOutput).toContain('lo');
    expect(toolOutput).not.toMatch(/\beth0\b/);
    expect(output.text).toContain(`\`${command}\` printed:`);
    expect(await containersOfSession(output.sessionId)).toEqual([]);
  });
});
