import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '@ngb/store';
import { describe, expect, it } from 'vitest';
import { localRuntime, runCli, useProjectWithModel } from './cli-harness';

const fixture = useProjectWithModel('stored', localRuntime);

/** The parts of `ngb.config.json` these tests change. */
interface Config {
  agentsDir?: string;
  runtime: Record<string, unknown>;
  gateway?: Record<string, unknown>;
  agents: Record<string, Record<string, unknown>> | unknown[];
}

const configFile = () => join(fixture.project.dir, 'ngb.config.json');
const mainSettings = (config: Config) => (config.agents as Record<string, Record<string, unknown>>).main ?? {};
function editConfig(change: (config: Config) => void): void {
  const config = JSON.parse(readFileSync(configFile(), 'utf8'));
  change(config);
  writeFileSync(configFile(), JSON.stringify(config));
}
const ngb = (args: string[]) => runCli(args, { cwd: fixture.project.dir, env: fixture.model });
const mainAgent = async () => {
  const listed = await ngb(['agent', 'ls', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as Array<{ folder: string; timezone: string; sandbox: Record<string, unknown> }>).find(
    (agent) => agent.folder === 'main',
  );
};

describe('agent settings follow the config, removals too', { timeout: 60_000 }, () => {
  it('an invalid time zone is refused at load, naming the key; nothing runs', async () => {
    editConfig((config) => {
      mainSettings(config).timezone = 'Mars/Olympus';
    });
    try {
      const result = await ngb(['run', '-p', 'hello']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('key "agents.main.timezone" is not a time zone: "Mars/Olympus"');
      expect(fixture.server.requests()).toHaveLength(0);
    } finally {
      editConfig((config) => {
        delete mainSettings(config).timezone;
      });
    }
  });

  it('an egress allowlist is stored normalized, listed by `ngb agent ls`, and removed with its key', async () => {
    editConfig((config) => {
      mainSettings(config).network = { allow: ['API.Example.com', '*.Bücher.de'], maxBytesPerTurn: 65536 };
    });
    expect((await mainAgent())?.sandbox.network).toEqual({
      allow: ['api.example.com', '*.xn--bcher-kva.de'],
      maxBytesPerTurn: 65536,
    });
    const table = await ngb(['agent', 'ls']);
    expect(table.stdout).toMatch(/^main\s.*api\.example\.com \*\.xn--bcher-kva\.de/m);
    editConfig((config) => {
      delete mainSettings(config).network;
    });
    expect((await mainAgent())?.sandbox.network).toBe('none');
  });

  it('a key removed from the config returns the agent to its default', async () => {
    editConfig((config) => {
      Object.assign(mainSettings(config), { timezone: 'Europe/Berlin', memoryMb: 256, diskLimitMb: 64 });
    });
    expect(await mainAgent()).toMatchObject({ timezone: 'Europe/Berlin', sandbox: { memoryMb: 256, diskMb: 64 } });
    editConfig((config) => {
      config.agents = { main: { name: 'main' } };
    });
    const agent = await mainAgent();
    expect(agent?.timezone).toBe('UTC');
    expect(agent?.sandbox.network).toBe('none');
    expect(agent?.sandbox.diskMb).toBe(1024);
    expect(agent?.sandbox).not.toHaveProperty('memoryMb');
  });

  it('doctor fails on a bad time zone stored in the database (by an older ngb), and the next command repairs it', async () => {
    const store = await createSqliteStore({ path: join(fixture.project.dir, '.ngb/ngb.db') });
    const main = await store.agents.getByFolder('main');
    await store.agents.update(main?.id ?? '', { timezone: 'Mars/Olympus' });
    await store.close();

    const doctor = await ngb(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /^✖ stored settings\s+agent main: the database holds "Mars\/Olympus" for timezone, and its turns fail on it$/m,
    );
    expect(doctor.stdout).toContain(
      'fix: set a valid "agents.main.timezone" in ngb.config.json, or remove the key for the default',
    );

    const run = await ngb(['run', '-p', 'hello again']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('echo: hello again\n');
    const again = await ngb(['doctor']);
    expect(again.stdout).toMatch(/^✔ stored settings\s+1 agent, 0 scheduled tasks$/m);
  });
});

describe('config values are checked at load, naming the key', { timeout: 60_000 }, () => {
  it.each([
    [
      'gateway.toolTimeoutSeconds',
      (config: Config) => {
        config.gateway = { toolTimeoutSeconds: 3_000_000 };
      },
    ],
    [
      'agents',
      (config: Config) => {
        config.agents = [];
      },
    ],
    [
      'agents.main.cpus',
      (config: Config) => {
        mainSettings(config).cpus = 0;
      },
    ],
    [
      'agents.main.pids',
      (config: Config) => {
        mainSettings(config).pids = 1;
      },
    ],
    [
      'agents.main.memoryMb',
      (config: Config) => {
        mainSettings(config).memoryMb = 4;
      },
    ],
    [
      'runtime.image',
      (config: Config) => {
        config.runtime.image = 'Not An Image';
      },
    ],
    [
      'runtime.idleTimeoutMinutes',
      (config: Config) => {
        config.runtime.idleTimeoutMinutes = 1e9;
      },
    ],
  ])('%s: `ngb run` exits 1 with one line before any model call', async (key, change) => {
    const original = readFileSync(configFile(), 'utf8');
    editConfig(change);
    try {
      const result = await ngb(['run', '-p', 'run: echo should-not-run']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`key "${key}"`);
      expect(result.stdout).toBe('');
    } finally {
      writeFileSync(configFile(), original);
    }
  });
});

describe("the agents folder must be the project's own", { timeout: 60_000 }, () => {
  it.each([
    ['/', 'is a system folder'],
    ['/etc', 'is a system folder (/etc)'],
    ['../elsewhere', 'is outside the project folder'],
  ])('agentsDir %j is refused in one line naming agentsDir, before any agent is made of it', async (agentsDir, reason) => {
    const original = readFileSync(configFile(), 'utf8');
    editConfig((config) => {
      config.agentsDir = agentsDir;
    });
    try {
      const result = await ngb(['agent', 'ls']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('key "agentsDir"');
      expect(result.stderr).toContain(reason);
      expect(result.stdout).toBe('');
    } finally {
      writeFileSync(configFile(), original);
    }
  });
});
