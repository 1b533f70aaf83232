import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDockerRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerEngineFor } from './__tests__/docker-engine-gate';
import { createHarness, type Harness } from './__tests__/gateway-harness';

const engine = await dockerEngineFor('end-to-end Docker test');

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
