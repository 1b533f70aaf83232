import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, useProjectWithModel } from './cli-harness';
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
  const fixture = useProjectWithModel('run-docker', (config) => {
    config.runtime = { driver: 'docker' };
  });

  it('runs bash in the hardened container (uid 1000, no network), streams the call, and removes the container', async () => {
    const command = 'id -u; ls /sys/class/net';
    const result = await runCli(['run', '-p', `run: ${command}`, '--json', '--stream'], {
      cwd: fixture.project.dir,
      env: fixture.model,
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

  it('mounts a configured, allowlisted folder read-only at /workspace/extra/<folder name>; a folder holding .ssh is refused', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'ngb-cli-mounts-'));
    try {
      const home = join(scratch, 'home');
      const allowed = join(scratch, 'allowed');
      mkdirSync(join(home, '.config', 'ngb'), { recursive: true });
      mkdirSync(join(allowed, 'team-notes'), { recursive: true });
      mkdirSync(join(allowed, 'dotfiles', 'backup', '.ssh'), { recursive: true });
      writeFileSync(join(allowed, 'team-notes', 'readme.txt'), 'visible from the host\n');
      chmodSync(scratch, 0o755);
      writeFileSync(join(home, '.config', 'ngb', 'mount-allowlist.json'), JSON.stringify({ allowedRoots: [{ path: allowed }] }));
      const configFile = join(fixture.project.dir, 'ngb.config.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      config.agents = { main: { mounts: [{ hostPath: join(allowed, 'team-notes') }] } };
      writeFileSync(configFile, JSON.stringify(config));
      const command = 'cat /workspace/extra/team-notes/readme.txt; touch /workspace/extra/team-notes/new 2>&1; true';
      const mounted = await runCli(['run', '-p', `run: ${command}`, '--json'], {
        cwd: fixture.project.dir,
        env: { OPENAI_BASE_URL: `${fixture.server.url}/v1`, HOME: home },
        timeoutMs: 60_000,
      });
      expect(mounted.code, mounted.stderr).toBe(0);
      const mountedOutput: string = JSON.parse(mounted.stdout).toolCalls[0].output;
      expect(mountedOutput).toContain('visible from the host');
      expect(mountedOutput).toMatch(/touch: cannot touch '\/workspace\/extra\/team-notes\/new': Read-only file system/);

      config.agents = { main: { mounts: [{ hostPath: join(allowed, 'dotfiles'), containerPath: 'dots' }] } };
      writeFileSync(configFile, JSON.stringify(config));
      const refused = await runCli(['run', '-p', 'run: ls /workspace/extra', '--json'], {
        cwd: fixture.project.dir,
        env: { OPENAI_BASE_URL: `${fixture.server.url}/v1`, HOME: home },
        timeoutMs: 60_000,
      });
      const call = JSON.parse(refused.stdout).toolCalls[0];
      expect(call.isError).toBe(true);
      expect(call.output).toContain('mount refused');
      expect(call.output).toMatch(/dots: host path ".*\/dotfiles" holds "backup\/\.ssh", which looks like a secret/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
