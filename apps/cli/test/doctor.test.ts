import { describe, expect, it } from 'vitest';
import { createProject, dockerStatus, runCli, useProjectWithModel } from './cli-harness';

const fixture = useProjectWithModel('doctor');

describe('ngb doctor', { timeout: 60_000 }, () => {
  it('prints one ok/fail line per check, and exits 0 when nothing failed', async () => {
    const docker = await dockerStatus();
    const result = await runCli(['doctor'], { cwd: fixture.project.dir, env: fixture.model });
    for (const name of ['Node.js', 'config', 'database', 'agents', 'Docker engine', 'model', 'model endpoint', 'channels']) {
      expect(result.stdout).toMatch(new RegExp(`^[✔⚠✖] ${name}\\s`, 'm'));
    }
    expect(result.stdout).toMatch(/^✔ model\s+openai\/gpt-6\.1-terra \(no key, http:\/\/127\.0\.0\.1:\d+\/v1\)$/m);
    expect(result.stdout).toMatch(/^✔ model endpoint\s+http:\/\/127\.0\.0\.1:\d+\/v1 answers/m);
    expect(result.stdout).toMatch(/\d+ ok, \d+ warnings?, 0 failed/);
    if (docker.ready) {
      expect(result.stdout).toMatch(/^✔ Docker engine\s/m);
      expect(result.stdout).toMatch(/^✔ sandbox image\s+ngb-agent:latest$/m);
      expect(result.code).toBe(0);
    }
  });

  it('without a model setting the model line fails with the variables to set, and the exit code is 1', async () => {
    const result = await runCli(['doctor'], { cwd: fixture.project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✖ model\s+ANTHROPIC_API_KEY not set, OPENAI_API_KEY not set, OPENAI_BASE_URL not set$/m);
    expect(result.stdout).toMatch(/fix: no model is configured: set ANTHROPIC_API_KEY/);
  });

  it('an unreachable model endpoint fails with the fix', async () => {
    const result = await runCli(['doctor'], { cwd: fixture.project.dir, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✖ model endpoint\s+nothing answers at http:\/\/127\.0\.0\.1:9\/v1/m);
  });

  it('an enabled channel whose config is incomplete fails naming the key; one without its secret names the variable', async () => {
    const config = (await import('node:fs')).readFileSync(`${fixture.project.dir}/ngb.config.json`, 'utf8');
    const changed = JSON.parse(config);
    changed.channels = { feishu: { enabled: true }, slack: { enabled: true } };
    (await import('node:fs')).writeFileSync(`${fixture.project.dir}/ngb.config.json`, JSON.stringify(changed));
    try {
      const result = await runCli(['doctor'], {
        cwd: fixture.project.dir,
        env: { OPENAI_BASE_URL: `${fixture.server.url}/v1`, FEISHU_APP_SECRET: '123:abc' },
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^✖ channel feishu\s+channel "feishu": key "channels.feishu.appId" is invalid/m);
      expect(result.stdout).toContain('fix: fix "channels.feishu" in ngb.config.json');
      expect(result.stdout).toMatch(/^✖ channel slack\s+missing SLACK_BOT_TOKEN/m);
      expect(result.stdout).not.toContain('123:abc');
    } finally {
      (await import('node:fs')).writeFileSync(`${fixture.project.dir}/ngb.config.json`, config);
    }
  });

  it('shows each agent’s MCP servers, and fails one whose settings the sandbox would refuse', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const config = readFileSync(`${fixture.project.dir}/ngb.config.json`, 'utf8');
    const changed = JSON.parse(config);
    const tiny = { name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'] };
    changed.agents = { ...changed.agents, main: { ...changed.agents?.main, mcpServers: [tiny] } };
    writeFileSync(`${fixture.project.dir}/ngb.config.json`, JSON.stringify(changed));
    try {
      const env = { OPENAI_BASE_URL: `${fixture.server.url}/v1` };
      const listed = await runCli(['doctor'], { cwd: fixture.project.dir, env });
      expect(listed.stdout).toMatch(/^✔ MCP servers\s+agent main: tiny \(node tiny-mcp\.mjs, started inside its sandbox\)$/m);
      const secret = ['ghp_', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('');
      changed.agents.main.mcpServers = [{ ...tiny, env: { GITHUB: secret } }];
      writeFileSync(`${fixture.project.dir}/ngb.config.json`, JSON.stringify(changed));
      const refused = await runCli(['doctor'], { cwd: fixture.project.dir, env });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(
        /^✖ MCP servers\s+agent main: `mcpServers`\[0\]\.env: the value of "GITHUB" looks like a GitHub token/m,
      );
      expect(refused.stdout).toContain('fix: correct "agents.main.mcpServers" in ngb.config.json');
      expect(refused.stdout).not.toContain(secret);
    } finally {
      writeFileSync(`${fixture.project.dir}/ngb.config.json`, config);
    }
  });

  it('names a link, a FIFO or an oversized file in the agent folders, which the gateway skips or cuts', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync, rmSync, symlinkSync, writeFileSync } = await import('node:fs');
    const own = await createProject('doctor-files');
    try {
      const agents = `${own.dir}/agents`;
      const clean = await runCli(['doctor'], { cwd: own.dir, env: fixture.model });
      expect(clean.stdout).toMatch(/^✔ agent files\s+AGENTS\.md of global, main: regular files within 65536 bytes$/m);
      rmSync(`${agents}/main/AGENTS.md`);
      symlinkSync('/proc/self/environ', `${agents}/main/AGENTS.md`);
      mkdirSync(`${agents}/piped`);
      execFileSync('mkfifo', [`${agents}/piped/AGENTS.md`]);
      mkdirSync(`${agents}/big`);
      writeFileSync(`${agents}/big/AGENTS.md`, 'x'.repeat(70_000));
      mkdirSync(`${own.dir}/elsewhere`);
      symlinkSync(`${own.dir}/elsewhere`, `${agents}/linked`);
      const result = await runCli(['doctor'], { cwd: own.dir, env: fixture.model });
      const lines = result.stdout.split('\n').filter((line) => line.startsWith('⚠ agent files'));
      expect(lines.map((line) => line.replace(/\s+/g, ' ')).sort()).toEqual([
        '⚠ agent files agents/big/AGENTS.md is larger than 65536 bytes; the agent sees only the first 65536',
        '⚠ agent files agents/linked is a symbolic link; the gateway reads nothing through links in the agents folder',
        '⚠ agent files agents/main/AGENTS.md is skipped: it is a symbolic link; the gateway reads only regular files there and follows no links',
        '⚠ agent files agents/piped/AGENTS.md is skipped: it is a named pipe (FIFO); the gateway reads only regular files there and follows no links',
      ]);
      expect(result.stdout).toContain('fix: rm agents/main/AGENTS.md, then write the instructions in a regular file');
    } finally {
      own.remove();
    }
  });
});
