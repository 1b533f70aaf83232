import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import { startEmbeddedGateway } from '../examples/embed-gateway/gateway';

describe('examples/embed-gateway', () => {
  it('answers through an embedded gateway with the model it is given, running the tool call in a sandbox', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ngb-example-'));
    mkdirSync(join(directory, 'agents', 'main'), { recursive: true });
    const llm = await createFakeLlmServer({ acceptAnyModel: true });
    const runtime = createLocalRuntime();
    const databasePath = join(directory, 'ngb.db');
    const app = await startEmbeddedGateway({
      databasePath,
      agentsDirectory: join(directory, 'agents'),
      runtime,
      modelBaseURL: `${llm.url}/v1`,
      model: 'llama3.1',
      pricing: { 'llama3.1': { input: 1, output: 2 } },
    });
    try {
      expect(await app.ask('hello')).toBe('echo: hello');
      expect(await app.ask('run: echo from the sandbox')).toContain('from the sandbox');
      expect(llm.requests().map((request) => request.model)).toEqual(['llama3.1', 'llama3.1', 'llama3.1']);
    } finally {
      await app.close();
      await runtime.close();
      await llm.close();
    }
    const store = await createSqliteStore({ path: databasePath });
    try {
      const [session] = await store.sessions.list();
      const turns = await store.turns.listForSession(session?.id ?? '');
      expect(turns).toHaveLength(2);
      for (const turn of turns) {
        expect(turn.model).toBe('llama3.1');
        expect(turn.costUsd).toBeCloseTo((turn.inputTokens * 1 + turn.outputTokens * 2) / 1_000_000, 12);
        expect(turn.costUsd).toBeGreaterThan(0);
      }
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
