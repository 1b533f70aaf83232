import type {
  EgressReporting,
  EgressRequestListener,
  EgressRequestRecord,
  Sandbox,
  SandboxCallOptions,
  SandboxRuntime,
} from '@ngb/plugin-sdk';
import { createLocalRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * The local runtime with an egress proxy's reporting, as the Docker runtime has it: each bash call
 * reports one refused request for the turn the call named.
 */
function reportingRuntime(): SandboxRuntime & EgressReporting & { calls: SandboxCallOptions[] } {
  const local = createLocalRuntime({ maxSandboxes: 1 });
  const listeners = new Set<EgressRequestListener>();
  const calls: SandboxCallOptions[] = [];
  const wrap = (sandbox: Sandbox): Sandbox => ({
    get id() {
      return sandbox.id;
    },
    sessionId: sandbox.sessionId,
    call: async (tool, input, options) => {
      calls.push(options ?? {});
      const result = await sandbox.call(tool, input, options);
      const record: EgressRequestRecord = {
        sessionId: sandbox.sessionId,
        turnId: options?.turnId,
        method: 'CONNECT',
        host: 'evil.example.net',
        port: 443,
        allowed: false,
        reason: 'domain evil.example.net is not on the allowlist',
        bytesUp: 0,
        bytesDown: 0,
        startedAt: 1,
        durationMs: 0,
      };
      for (const listener of listeners) listener(record);
      return result;
    },
    listTools: () => sandbox.listTools(),
    release: () => sandbox.release(),
    close: () => sandbox.close(),
  });
  return {
    ...local,
    calls,
    acquire: async (spec, options) => wrap(await local.acquire(spec, options)),
    onEgressRequest(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

describe('egress requests', () => {
  it('tells each sandbox call its turn, and publishes and stores what the egress proxy reports', async () => {
    const runtime = reportingRuntime();
    harness = await createHarness({
      runtime,
      script: [
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
        { type: 'reply', text: 'done' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('fetch something');

    const turnStart = harness.events.find((event) => event.type === 'turn.start');
    const turnId = turnStart?.type === 'turn.start' ? turnStart.turnId : undefined;
    expect(turnId).toBeDefined();
    expect(runtime.calls.map((options) => options.turnId)).toEqual([turnId]);
    const sessionId = turnStart?.type === 'turn.start' ? turnStart.sessionId : '';
    await expect.poll(() => harness?.events.filter((event) => event.type === 'egress.request')).toHaveLength(1);
    const [stored] = await harness.store.egressRequests.listForSession(sessionId);
    expect(stored).toMatchObject({ sessionId, turnId, host: 'evil.example.net', allowed: false });
    expect(harness.events.filter((event) => event.type === 'egress.request')).toMatchObject([
      { id: stored?.id, sessionId, turnId, host: 'evil.example.net', allowed: false, reason: /not on the allowlist/ },
    ]);
  });
});
