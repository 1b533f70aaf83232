import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@ngb/store';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/load-config';
import { syncAgents } from './sync-agents';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-sync-agents-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const configWith = (agents: unknown) => parseConfig(JSON.stringify({ agents }), join(scratch, 'ngb.config.json')).config;

describe('syncAgents', () => {
  it('compares stored settings with the config whatever their key order, without locale collation (ICU loads at its first use)', async () => {
    const agentsDir = join(scratch, 'agents');
    mkdirSync(join(agentsDir, 'main'), { recursive: true });
    const store = await createSqliteStore({ path: ':memory:' });
    try {
      const config = configWith({ main: { model: { provider: 'openai', model: 'gpt-test', maxTokens: 900 } } });
      const [created] = await syncAgents(store, agentsDir, config);
      const update = vi.spyOn(store.agents, 'update');
      const collate = vi.spyOn(String.prototype, 'localeCompare');
      const [again] = await syncAgents(store, agentsDir, config);
      expect(again).toEqual(created);
      expect(update).not.toHaveBeenCalled();
      expect(collate).not.toHaveBeenCalled();

      const [changed] = await syncAgents(
        store,
        agentsDir,
        configWith({ main: { model: { provider: 'openai', model: 'gpt-other' } } }),
      );
      expect(update).toHaveBeenCalledTimes(1);
      expect(changed?.model).toMatchObject({ model: 'gpt-other' });
      expect(collate).not.toHaveBeenCalled();
    } finally {
      await store.close();
    }
  });
});
