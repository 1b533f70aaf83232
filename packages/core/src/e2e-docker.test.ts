import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createDockerRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ socketPath: '/var/run/docker.sock', path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    probe.on('error', () => resolve(false));
    probe.on('timeout', () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}

const engine = await dockerAnswers();
if (!engine) {
  if (process.env.CI === 'true') throw new Error('the end-to-end test needs a Docker engine: run `bash .ci/docker.sh`');
  console.warn('core end-to-end Docker test skipped: no Docker engine answers at /var/run/docker.sock');
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.skipIf(!engine)('end to end: chat → gateway → model → bash in a real Docker sandbox → reply', () => {
  it('runs the command the model asks for in the sandbox and answers with its output', { timeout: 90_000 }, async () => {
    const runtime = createDockerRuntime({ namespace: `core-e2e-${process.pid}`, maxSandboxes: 2, diskLimit: 'unlimited' });
    harness = await createHarness({ runtime });
    const agent = await harness.addAgent('andy');
    const folder = join(harness.directory, 'agents', 'andy');
    await harness.addChat('c1', { agent });
    await harness.say('run: echo "hello from $(id -u) in $(pwd)" && echo kept > note.txt');
    expect(harness.texts()).toHaveLength(1);
    expect(harness.texts()[0]).toContain('hello from 1000 in /workspace/agent');
    expect(readFileSync(join(folder, 'note.txt'), 'utf8')).toBe('kept\n');
    const types = harness.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['sandbox.acquired', 'tool.start', 'tool.end', 'delivery.sent']));
    await harness.say('run: cat /etc/hostname && ls /workspace/agent');
    expect(harness.texts()[1]).toContain('note.txt');
    expect(
      harness.events
        .filter((event) => event.type === 'sandbox.acquired')
        .map((event) => event.type === 'sandbox.acquired' && event.sandboxId),
    ).toHaveLength(2);
    const sandboxIds = new Set(harness.events.flatMap((event) => (event.type === 'sandbox.acquired' ? [event.sandboxId] : [])));
    expect(sandboxIds.size).toBe(1);
    expect(existsSync(join(folder, 'note.txt'))).toBe(true);
  });
});
