import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built package, installed alone in a folder with no node_modules above it: the same view a
// plugin author's project has when vitest is not installed.
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
let project: string;

function runNode(source: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(project, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  const result = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(packageRoot, 'dist/testing/index.js'))) {
    throw new Error('@ngb/plugin-sdk is not built: run `pnpm build` before this test');
  }
  project = mkdtempSync(join(tmpdir(), 'ngb-sdk-no-vitest-'));
  const installed = join(project, 'node_modules/@ngb/plugin-sdk');
  mkdirSync(installed, { recursive: true });
  cpSync(join(packageRoot, 'dist'), join(installed, 'dist'), { recursive: true });
  cpSync(join(packageRoot, 'package.json'), join(installed, 'package.json'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'plugin-under-test', private: true, type: 'module' }));
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('@ngb/plugin-sdk/testing without vitest installed', () => {
  it('loads the recording fakes and they work', () => {
    const result = runNode(`
      import { createManualClock, createRecordingChannel, createRecordingLogger } from '@ngb/plugin-sdk/testing';
      const clock = createManualClock(1000);
      let fired = 0;
      clock.setTimeout(() => { fired += 1; }, 50);
      await clock.advance(50);
      const logger = createRecordingLogger();
      logger.warn('careful', { step: 1 });
      const channel = createRecordingChannel({ name: 'fake' });
      await channel.send({ channel: 'fake', chatId: 'c1' }, { text: 'hi', format: 'plain' });
      console.log(JSON.stringify({ fired, now: clock.now(), lines: logger.lines.length, sent: channel.sent.length }));
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ fired: 1, now: 1050, lines: 1, sent: 1 });
  });

  it('loads the recording channel with its capabilities, its webhook and its contract harness', () => {
    const result = runNode(`
      import { createRecordingChannelHarness, createRecordingWebhookRequest } from '@ngb/plugin-sdk/testing';
      const harness = createRecordingChannelHarness({ capabilities: { edit: true, webhook: { secret: 's' } } });
      const channel = await harness.create();
      const received = [];
      await channel.start({ receive: async (message) => { received.push(message.text); }, logger: undefined, setStatus() {} });
      await harness.injectInbound({ chatId: 'c1', text: 'through the webhook', sender: { id: 'u1' } });
      const forged = await channel.handleWebhook(createRecordingWebhookRequest({ text: 'forged' }, 'wrong'));
      const receipt = await channel.send({ channel: 'fake', chatId: 'c1' }, { text: 'hi', format: 'markdown' });
      await channel.edit({ channel: 'fake', chatId: 'c1' }, receipt.platformMessageId, 'hello', 'markdown');
      const sent = await harness.sent();
      console.log(JSON.stringify({ edit: typeof channel.edit, webhook: typeof channel.handleWebhook, received, forged: forged.status,
        texts: sent.messages.map((message) => message.text), edits: sent.edits.map((edit) => edit.text) }));
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      edit: 'function',
      webhook: 'function',
      received: ['through the webhook'],
      forged: 401,
      texts: ['hi'],
      edits: ['hello'],
    });
  });

  it("sets a plugin up with setUpPlugin, through its schema's Standard Schema interface (no valibot of its own)", () => {
    const result = runNode(`
      import { setUpPlugin } from '@ngb/plugin-sdk/testing';
      // A schema as valibot makes them, seen only through its Standard Schema interface.
      const configSchema = { '~standard': { version: 1, vendor: 'test', validate: (value) =>
        typeof value.greeting === 'string' ? { value } : { issues: [{ message: 'must be a string', path: [{ key: 'greeting' }] }] } } };
      const plugin = { specificationVersion: 1, name: 'hello', version: '1.0.0', configSchema, setup(api) {
        api.registerTool({ name: 'hello', description: 'greets', inputSchema: { type: 'object' }, where: 'host',
          execute: async () => ({ output: api.config.greeting }) });
      } };
      const harness = await setUpPlugin(plugin, { config: { greeting: 'Howdy' } });
      const refused = await setUpPlugin(plugin, { config: {} }).catch((error) => error.key);
      console.log(JSON.stringify({ output: (await harness.tool('hello').execute({}, {})).output, refused }));
    `);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ output: 'Howdy', refused: 'plugins.hello.greeting' });
  });

  it('keeps the vitest suites behind their own subpath, which needs vitest', () => {
    const result = runNode(`import { describeStoreContract } from '@ngb/plugin-sdk/testing/contracts';`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Cannot find package 'vitest'/);
  });
});
