import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, runCli, startServe, waitFor } from './cli-harness';
import { claimedDashboardChat, pluginProject, writeFiles } from './plugin-project';

let model: FakeLlmServer;
let project: { dir: string; remove: () => void };

// The entry imports two files of its folder: `tag.js`, which the test edits, and `setups.js`, which
// it never edits and whose count shows whether it is a new module instance too.
const plugin = {
  'plugins/shout/index.js': `
import { definePlugin, defineTool } from '@ngb/plugin-sdk';
import { tag } from './lib/tag.js';
import { countSetup } from './lib/setups.js';

export default definePlugin({
  name: 'shout',
  version: '1.0.0',
  setup(api) {
    const label = \`\${tag} #\${countSetup()}\`;
    api.on('message:received', (message) => ({ ...message, text: \`\${message.text} [\${label}]\` }));
    api.registerTool(
      defineTool({
        name: \`tool_\${tag}\`,
        description: 'says the tag',
        inputSchema: { type: 'object' },
        where: 'host',
        execute: async () => ({ output: tag }),
      }),
    );
  },
});
`,
  'plugins/shout/lib/tag.js': "export const tag = 'one';\n",
  'plugins/shout/lib/setups.js': 'let setups = 0;\nexport const countSetup = () => ++setups;\n',
};

beforeAll(async () => {
  assertBuilt();
  model = await createFakeLlmServer({ acceptAnyModel: true });
  project = await pluginProject('plugin-reload', [{ path: './plugins/shout' }]);
  writeFiles(project.dir, plugin);
});
afterAll(async () => {
  await model?.close();
  project?.remove();
});

// Generous waits for what `ngb serve` does on its own, on a machine shared with other test runs.
const slow = 45_000;

const toolNames = () =>
  model
    .requests()
    .at(-1)
    ?.tools.map((tool) => tool.name) ?? [];

describe('hot reload of a plugin folder under `ngb serve`', { timeout: 240_000 }, () => {
  it('imports the folder again on a change (new behaviour, old hooks and tools gone); a broken edit keeps the old one and says why', async () => {
    const serve = await startServe(project.dir, cliEnv({ OPENAI_BASE_URL: `${model.url}/v1` }));
    const reloads = () => serve.stdout().match(/plugin shout 1\.0\.0 reloaded/g)?.length ?? 0;
    try {
      const chat = await claimedDashboardChat(serve);
      expect(await chat.say('hello')).toBe('echo: hello [one #1]');
      expect(toolNames()).toContain('tool_one');

      writeFiles(project.dir, { 'plugins/shout/lib/tag.js': "export const tag = 'two';\n" });
      await waitFor(() => reloads() === 1, `the reload (stdout: ${serve.stdout()})`, slow);
      // `#1` again: the file that did not change is a new module instance as well.
      expect(await chat.say('again')).toBe('echo: again [two #1]');
      expect(toolNames()).toContain('tool_two');
      expect(toolNames()).not.toContain('tool_one');

      writeFiles(project.dir, { 'plugins/shout/lib/tag.js': "export const tag = 'three\n" });
      await waitFor(
        () => /plugin shout failed: .*cannot import/.test(serve.stdout()),
        () => `the failure (stdout: ${serve.stdout()})`,
        slow,
      );
      expect(serve.stdout()).toContain('(the previous version keeps running)');
      expect(await chat.say('third')).toBe('echo: third [two #1]');
      expect(toolNames()).toContain('tool_two');

      const listed = await runCli(['plugin', 'ls'], { cwd: project.dir });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        /^shout\s+folder \.\/plugins\/shout\s+1\.0\.0\s+-\s+failed: \[@ngb\/host\] cannot import the plugin \S+index\.js: .+ \(the previous version keeps running\)/m,
      );

      writeFiles(project.dir, { 'plugins/shout/lib/tag.js': "export const tag = 'four';\n" });
      await waitFor(() => reloads() === 2, `the reload after the fix (stdout: ${serve.stdout()})`, slow);
      expect(await chat.say('fixed')).toBe('echo: fixed [four #1]');
      expect((await runCli(['plugin', 'ls'], { cwd: project.dir })).stdout).toMatch(/^shout\s.*\s+reloaded /m);
    } finally {
      await serve.stop();
    }
    expect(await serve.exited).toBe(0);
    const log = readFileSync(join(project.dir, '.ngb/logs/gateway.jsonl'), 'utf8');
    expect(log).toMatch(/"level":"error","event":"plugin.status".*"state":"failed"/);
  });

  it('refuses to start, naming the file or the key, with a module that exports no plugin or a config its schema refuses', async () => {
    writeFiles(project.dir, {
      'plugins/bare/index.js': 'export default function setup() {}\n',
      'plugins/strict/index.js': `
import { definePlugin } from '@ngb/plugin-sdk';
import * as v from 'valibot';
export default definePlugin({ name: 'strict', version: '1.0.0', configSchema: v.object({ level: v.number() }), setup() {} });
`,
    });
    const file = join(project.dir, 'ngb.config.json');
    const original = readFileSync(file, 'utf8');
    const run = async (plugins: unknown[]) => {
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), plugins }));
      try {
        return await runCli(['run', '-p', 'hi'], { cwd: project.dir, env: { OPENAI_BASE_URL: `${model.url}/v1` } });
      } finally {
        writeFileSync(file, original);
      }
    };
    const bare = await run([{ path: './plugins/bare' }]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(
      `✖ [@ngb/host] ${join(project.dir, 'plugins/bare/index.js')} must export a plugin made by definePlugin() from @ngb/plugin-sdk, as its default export (or as "plugin"); its default export is a function`,
    );
    const strict = await run([{ path: './plugins/strict', config: { level: 'high' } }]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(
      '✖ [@ngb/core] plugin "strict": config key "level" (plugins.strict.level): Invalid type: Expected number',
    );
  });
});
