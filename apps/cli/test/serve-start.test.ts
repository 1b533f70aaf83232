import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, createProject, localRuntime, startServe } from './cli-harness';

/**
 * Loaded into `ngb serve` before its own code: notes each first touch of a global that makes Node load
 * its fetch implementation (undici, with http2: about 40 ms of start-up), and at the ready line prints
 * what was touched and which of those internals are loaded.
 */
const probe = `
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
    process.stderr.write('start-probe ' + JSON.stringify({ touched, loaded }) + '\\n');
  }
  return write(chunk, ...rest);
};
`;

let model: FakeLlmServer;
let project: { dir: string; remove: () => void };
let probeDir: string;

beforeAll(async () => {
  assertBuilt();
  model = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('serve-start', localRuntime);
  probeDir = mkdtempSync(join(tmpdir(), 'ngb-start-probe-'));
  writeFileSync(join(probeDir, 'probe.cjs'), probe);
});
afterAll(async () => {
  await model?.close();
  project?.remove();
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
});

describe('ngb serve start-up', { timeout: 60_000 }, () => {
  it('is ready with the server, dashboard and web chat without loading Node’s fetch implementation', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${model.url}/v1`, NODE_OPTIONS: `--require ${join(probeDir, 'probe.cjs')}` });
    const serve = await startServe(project.dir, env);
    try {
      const line = /^start-probe (.*)$/m.exec(serve.stderr())?.[1];
      expect(line, serve.stderr()).toBeDefined();
      const report = JSON.parse(line ?? '{}') as { touched: string[]; loaded: string[] };
      // What start-up does not need waits for the first request that needs it.
      expect(report.touched).toEqual([]);
      expect(report.loaded).toEqual([]);
    } finally {
      await serve.stop();
    }
  });
});
