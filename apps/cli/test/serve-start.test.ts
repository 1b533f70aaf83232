import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, localRuntime, startServe } from './cli-harness';

/**
 * Loaded into `ngb serve` before its own code: notes each first touch of a global that makes Node load
 * its fetch implementation (undici, with http2: about 40 ms of start-up), and at the ready line prints
 * what was touched, which of those internals are loaded, and which channel packages' modules were
 * loaded (the loader hooks below write each module's URL before the module runs).
 */
const probe = (loads: string) => `
const { readFileSync } = require('node:fs');
const touched = [];
for (const name of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource']) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  if (!descriptor || !descriptor.get) continue;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: descriptor.enumerable,
    get() {
      touched.push(name + ' ' + (new Error().stack.split('\\n')[2] || '').trim());
      Object.defineProperty(globalThis, name, descriptor);
      return descriptor.get.call(this);
    },
    set: descriptor.set,
  });
}
const write = process.stdout.write.bind(process.stdout);
let reported = false;
process.stdout.write = (chunk, ...rest) => {
  if (!reported && String(chunk).includes('gateway ready')) {
    reported = true;
    const loaded = process.moduleLoadList.filter((name) => /undici|http2/.test(name));
    const channels = [...new Set(readFileSync(${JSON.stringify(loads)}, 'utf8').match(/\\/channel-[a-z]+\\/dist\\//g))];
    process.stderr.write('start-probe ' + JSON.stringify({ touched, loaded, channels }) + '\\n');
  }
  return write(chunk, ...rest);
};
`;

/** ES module loader hooks (they run on a thread of their own): each module's URL, written before it loads. */
const hooks = (loads: string) => `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(loads)}, url + '\\n');
  return next(url, context);
}
`;

let model: FakeLlmServer;
let project: { dir: string; remove: () => void };
let probeDir: string;

beforeAll(async () => {
  assertBuilt();
  model = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('serve-start', localRuntime);
  probeDir = mkdtempSync(join(tmpdir(), 'ngb-start-probe-'));
  const loads = join(probeDir, 'loads.txt');
  writeFileSync(loads, '');
  writeFileSync(join(probeDir, 'probe.cjs'), probe(loads));
  writeFileSync(join(probeDir, 'hooks.mjs'), hooks(loads));
  writeFileSync(
    join(probeDir, 'register.mjs'),
    "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
  );
});
afterAll(async () => {
  await model?.close();
  project?.remove();
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
});

describe('ngb serve start-up', { timeout: 60_000 }, () => {
  it('is ready with the server, dashboard and web chat without loading Node’s fetch implementation nor other channels', async () => {
    const options = `--require ${join(probeDir, 'probe.cjs')} --import ${join(probeDir, 'register.mjs')}`;
    const env = cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, NODE_OPTIONS: options });
    const serve = await startServe(project.dir, env);
    try {
      const line = /^start-probe (.*)$/m.exec(serve.stderr())?.[1];
      expect(line, serve.stderr()).toBeDefined();
      const report = JSON.parse(line ?? '{}') as { touched: string[]; loaded: string[]; channels: string[] };
      // What start-up does not need waits for the first request that needs it.
      expect(report.touched).toEqual([]);
      expect(report.loaded).toEqual([]);
      // Only the enabled channel's package: the others' manifests load when something asks for them.
      expect(report.channels).toEqual(['/channel-web/dist/']);
    } finally {
      await serve.stop();
    }
  });
});
