import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@ngb/store';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { syncAgents } from './sync-agents';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-sync-mcp-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const configWith = (agents: unknown) => parseConfig(JSON.stringify({ agents }), join(scratch, 'ngb.config.json')).config;

describe('syncAgents: MCP servers', () => {
  it('stores an agent’s MCP servers in its sandbox settings, and takes them away when the config does', async () => {
    const agentsDir = join(scratch, 'agents');
    mkdirSync(join(agentsDir, 'main'), { recursive: true });
    mkdirSync(join(agentsDir, 'plain'), { recursive: true });
    const store = await createSqliteStore({ path: ':memory:' });
    try {
      const servers = [{ name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'], env: { MODE: 'x' }, startTimeoutMs: 5_000 }];
      const [main, plain] = await syncAgents(store, agentsDir, configWith({ main: { mcpServers: servers } }));
      expect(main?.sandbox.mcpServers).toEqual(servers);
      expect(plain?.sandbox).not.toHaveProperty('mcpServers');
      expect((await store.agents.getByFolder('main'))?.sandbox.mcpServers).toEqual(servers);

      const [again] = await syncAgents(store, agentsDir, configWith({}));
      expect(again?.sandbox).not.toHaveProperty('mcpServers');
      expect((await store.agents.getByFolder('main'))?.sandbox).toEqual({ network: 'none', mounts: [], diskMb: 1024 });
    } finally {
      await store.close();
    }
  });
});
