import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRuntime } from '@ngb/runtime';
import { createFakeLlmServer } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import { startEmbeddedGateway } from '../examples/embed-gateway/gateway';

describe('examples/embed-gateway', () => {
  it('answers through an embedded gateway, running the tool call in a sandbox', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ngb-example-'));
    mkdirSync(join(directory, 'agents', 'main'), { recursive: true });
    const llm = await createFakeLlmServer({ acceptAnyModel: true });
    const runtime = createLocalRuntime();
    const app = await startEmbeddedGateway({
      databasePath: join(directory, 'ngb.db'),
      agentsDirectory: join(directory, 'agents'),
      runtime,
      modelBaseURL: `${llm.url}/v1`,
    });
    try {
      expect(await app.ask('hello')).toBe('echo: hello');
      expect(await app.ask('run: echo from the sandbox')).toContain('from the sandbox');
    } finally {
      await app.close();
      await runtime.close();
      await llm.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
