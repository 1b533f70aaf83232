import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, runCli, startServe, withoutIsolationWarning } from './cli-harness';
import { pluginProject, writeFiles } from './plugin-project';

let server: FakeLlmServer;
let model: Record<string, string>;
let project: { dir: string; remove: () => void };

// An npm plugin as `npm install` leaves it: its own folder, and a dependency hoisted beside it.
const installed = {
  'node_modules/ngb-plugin-stamp/package.json': JSON.stringify({
    name: 'ngb-plugin-stamp',
    version: '1.0.0',
    type: 'module',
    exports: { '.': { types: './index.d.ts', import: './index.js' } },
    dependencies: { 'stamp-text': '^1.0.0' },
  }),
  'node_modules/ngb-plugin-stamp/index.js': `
import { definePlugin } from '@ngb/plugin-sdk';
import { stamp } from 'stamp-text';
export const plugin = definePlugin({
  name: 'stamp',
  version: '1.0.0',
  setup(api) {
    api.on('message:received', (message) => ({ ...message, text: \`\${message.text} \${stamp}\` }));
  },
});
`,
  'node_modules/stamp-text/package.json': JSON.stringify({
    name: 'stamp-text',
    version: '1.0.0',
    type: 'module',
    main: 'index.js',
  }),
  'node_modules/stamp-text/index.js': "export const stamp = '[stamped]';\n",
};

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
  model = { OPENAI_BASE_URL: `${server.url}/v1` };
  project = await pluginProject('plugin-pins', ['ngb-plugin-stamp']);
  writeFiles(project.dir, installed);
});
afterAll(async () => {
  await server?.close();
  project?.remove();
});

const run = (prompt: string) => runCli(['run', '-p', prompt], { cwd: project.dir, env: model });
const listed = async () => (await runCli(['plugin', 'ls'], { cwd: project.dir })).stdout;

describe('a pinned npm plugin', { timeout: 240_000 }, () => {
  it('is pinned on first load, refused once its files change (the gateway still starts), until `ngb plugin approve`', async () => {
    expect(await listed()).toMatch(/^ngb-plugin-stamp\s+npm\s+1\.0\.0\s+-\s+not pinned yet/m);
    expect((await run('hi')).stdout).toBe('echo: hi [stamped]\n');
    const pins = JSON.parse(readFileSync(join(project.dir, '.ngb/plugin-pins.json'), 'utf8'));
    expect(pins.pins['ngb-plugin-stamp']).toMatchObject({
      version: '1.0.0',
      hash: expect.stringMatching(/^sha256-[0-9a-f]{64}$/),
    });
    expect(await listed()).toMatch(/^ngb-plugin-stamp\s+npm\s+1\.0\.0\s+1\.0\.0 sha256-[0-9a-f]{12}\s/m);

    // A dependency changed in place: same version numbers everywhere, other files.
    writeFiles(project.dir, { 'node_modules/stamp-text/index.js': "export const stamp = '[tampered]';\n" });
    const refused = await run('hello');
    expect(refused.stdout).toBe('echo: hello\n');
    expect(withoutIsolationWarning(refused.stderr)).toContain(
      'plugin ngb-plugin-stamp not loaded: changed since approved (approved 1.0.0 sha256-',
    );
    expect(refused.stderr).toContain('run `ngb plugin approve ngb-plugin-stamp`');

    const serve = await startServe(project.dir, cliEnv(model));
    try {
      expect(serve.stderr()).toContain('plugin ngb-plugin-stamp not loaded: changed since approved');
      expect(await listed()).toMatch(
        /^ngb-plugin-stamp\s+npm\s+1\.0\.0\s+1\.0\.0 sha256-\S+\s+needs approval: changed since approved .*run `ngb plugin approve ngb-plugin-stamp`/m,
      );
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
    expect(readFileSync(join(project.dir, '.ngb/logs/gateway.jsonl'), 'utf8')).toMatch(
      /"level":"warn","event":"plugin.status".*"plugin":"ngb-plugin-stamp".*"state":"needs-approval"/,
    );

    const approved = await runCli(['plugin', 'approve', 'ngb-plugin-stamp'], { cwd: project.dir });
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(
      /approved ngb-plugin-stamp 1\.0\.0 \(sha256-\S+, 4 files in 2 packages\) \(was 1\.0\.0 sha256-/,
    );
    expect((await run('again')).stdout).toBe('echo: again [tampered]\n');
    expect(await listed()).toMatch(/^ngb-plugin-stamp\s+npm\s+1\.0\.0\s.*approved: restart `ngb serve` to load it/m);

    // A new version is a change too.
    const manifest = JSON.parse(installed['node_modules/ngb-plugin-stamp/package.json']);
    writeFiles(project.dir, { 'node_modules/ngb-plugin-stamp/package.json': JSON.stringify({ ...manifest, version: '1.1.0' }) });
    expect(await listed()).toMatch(/^ngb-plugin-stamp\s+npm\s+1\.1\.0\s+1\.0\.0 sha256-\S+\s+needs approval/m);
    expect((await run('upgraded')).stdout).toBe('echo: upgraded\n');
  });

  it('refuses to start with a package that is not installed, naming it, and to approve what `plugins` does not name', async () => {
    const file = join(project.dir, 'ngb.config.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(original), plugins: ['ngb-plugin-stamp', 'ngb-plugin-absent'] }));
    try {
      const refused = await run('hi');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `✖ [@ngb/host] plugin "ngb-plugin-absent" (plugins.1): the package is not installed in ${project.dir}: run \`npm install ngb-plugin-absent\` there`,
      );
    } finally {
      writeFileSync(file, original);
    }
    const missing = await runCli(['plugin', 'approve', 'ngb-plugin-other'], { cwd: project.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      '✖ no npm plugin "ngb-plugin-other" in "plugins" of ngb.config.json (there: ngb-plugin-stamp)',
    );
  });
});
