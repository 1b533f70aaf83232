import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, seedAgent, seedChat, startTime } from './context';

const invalidFolders = ['', '-lead', '_lead', 'a/b', '../up', 'has space', 'dot.ted', 'a'.repeat(65), 'café', 'x\n'];
const reservedFolders = ['global', 'GLOBAL', 'Global'];
const validFolders = ['a', '9', 'main', 'Team_Lead-2', 'a'.repeat(64)];

export function describeAgentCases(context: ContextAccessor): void {
  describe('agents', () => {
    it('creates with defaults, an id from generateId and times from now', async () => {
      const { store, generatedIds } = context();
      const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
      expect(generatedIds).toContain(agent.id);
      expect(agent).toMatchObject({
        folder: 'main',
        name: 'Main',
        isMain: true,
        instructionsFile: 'AGENTS.md',
        timezone: 'UTC',
        model: {},
        sandbox: { network: 'none', mounts: [] },
        createdAt: startTime,
        updatedAt: startTime,
      });
      expect(agent.assistantName).toBeUndefined();
      expect(await store.agents.get(agent.id)).toEqual(agent);
    });

    it('keeps model and sandbox settings as given', async () => {
      const { store } = context();
      const model = { provider: 'anthropic', model: 'claude', maxTokens: 1000, temperature: 0.2 };
      const sandbox = {
        network: { allow: ['api.example.com', '*.example.org'], maxBytesPerTurn: 1_048_576 },
        memoryMb: 512,
        cpus: 1.5,
        pids: 128,
        mounts: [{ hostPath: '/srv/data', containerPath: 'data', readonly: true }, { hostPath: '/srv/docs' }],
        mcpServers: [
          { name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'], env: { MODE: 'fast' }, startTimeoutMs: 5_000 },
          { name: 'git', command: 'git-mcp' },
        ],
      };
      const agent = await store.agents.create({
        folder: 'research',
        name: 'Research',
        isMain: false,
        assistantName: 'Rex',
        instructionsFile: 'CLAUDE.md',
        model,
        sandbox,
        timezone: 'Europe/Paris',
      });
      const stored = await store.agents.getByFolder('research');
      expect(stored).toEqual(agent);
      expect(stored).toMatchObject({
        assistantName: 'Rex',
        instructionsFile: 'CLAUDE.md',
        model,
        sandbox,
        timezone: 'Europe/Paris',
      });
    });

    it('normalizes an egress allowlist on create and update (lower case, punycode, no duplicates)', async () => {
      const { store } = context();
      const agent = await store.agents.create({
        folder: 'web',
        name: 'Web',
        isMain: false,
        sandbox: { network: { allow: ['API.Example.com', 'api.example.com.', '*.Bücher.de'] } },
      });
      expect(agent.sandbox.network).toEqual({ allow: ['api.example.com', '*.xn--bcher-kva.de'] });
      expect((await store.agents.get(agent.id))?.sandbox.network).toEqual({ allow: ['api.example.com', '*.xn--bcher-kva.de'] });
      const updated = await store.agents.update(agent.id, {
        sandbox: { network: { allow: ['Docs.Example.com'], maxBytesPerTurn: 10 } },
      });
      expect(updated.sandbox.network).toEqual({ allow: ['docs.example.com'], maxBytesPerTurn: 10 });
      expect((await store.agents.update(agent.id, { sandbox: { network: { allow: [] } } })).sandbox.network).toBe('none');
    });

    it.each([
      ['the bridge mode of old', 'egress', /sandbox\.network must be "none" or/],
      [
        'an IP address',
        { allow: ['example.com', '169.254.169.254'] },
        /sandbox\.network\.allow\[1\] "169\.254\.169\.254" is an IP address/,
      ],
      ['a scheme', { allow: ['https://example.com'] }, /sandbox\.network\.allow\[0\]/],
      ['a byte cap of zero', { allow: ['example.com'], maxBytesPerTurn: 0 }, /sandbox\.network\.maxBytesPerTurn/],
    ])(
      'refuses %s as a network with a ConfigError keyed sandbox.network, and writes nothing',
      async (_name, network, message) => {
        const { store } = context();
        const refused = { network } as never;
        const error = await expectConfigError(
          store.agents.create({ folder: 'refused', name: 'R', isMain: false, sandbox: refused }),
        );
        expect(error.key).toBe('sandbox.network');
        expect(error.message).toMatch(message);
        expect(await store.agents.list()).toEqual([]);
        const agent = await seedAgent(store);
        await expectConfigError(store.agents.update(agent.id, { name: 'renamed', sandbox: refused }), message);
        expect(await store.agents.get(agent.id)).toEqual(agent);
      },
    );

    it.each(invalidFolders)('refuses the invalid folder name %j with a ConfigError naming it', async (folder) => {
      const { store } = context();
      const error = await expectConfigError(store.agents.create({ folder, name: 'x', isMain: false }));
      expect(error.message).toContain(`"${folder}"`);
      expect(await store.agents.list()).toEqual([]);
    });

    it.each(reservedFolders)('refuses the reserved folder name %j', async (folder) => {
      const { store } = context();
      await expectConfigError(store.agents.create({ folder, name: 'x', isMain: false }), folder);
    });

    it.each(validFolders)('accepts the folder name %j', async (folder) => {
      const { store } = context();
      const agent = await store.agents.create({ folder, name: 'x', isMain: false });
      expect((await store.agents.getByFolder(folder))?.id).toBe(agent.id);
    });

    it('refuses a folder that is already used', async () => {
      const { store } = context();
      await store.agents.create({ folder: 'shared', name: 'one', isMain: false });
      await expectConfigError(store.agents.create({ folder: 'shared', name: 'two', isMain: false }), 'shared');
      expect(await store.agents.list()).toHaveLength(1);
    });

    it('allows at most one main agent, on create and on update', async () => {
      const { store } = context();
      const main = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
      await expectConfigError(store.agents.create({ folder: 'second', name: 'Second', isMain: true }), 'second');
      const other = await seedAgent(store);
      await expectConfigError(store.agents.update(other.id, { isMain: true }));
      expect((await store.agents.get(other.id))?.isMain).toBe(false);
      await store.agents.update(main.id, { isMain: false });
      expect((await store.agents.update(other.id, { isMain: true })).isMain).toBe(true);
    });

    it('returns undefined for unknown ids and folders', async () => {
      const { store } = context();
      expect(await store.agents.get('no-such-agent')).toBeUndefined();
      expect(await store.agents.getByFolder('nobody')).toBeUndefined();
    });

    it('lists agents oldest first', async () => {
      const { store } = context();
      const names = ['c', 'a', 'b'];
      for (const name of names) await store.agents.create({ folder: name, name, isMain: false });
      expect((await store.agents.list()).map((agent) => agent.folder)).toEqual(names);
    });

    it('updates fields, replaces settings objects, clears with null and bumps updatedAt', async () => {
      const { store, advance, now } = context();
      const agent = await store.agents.create({
        folder: 'main',
        name: 'Main',
        isMain: false,
        assistantName: 'Andy',
        model: { provider: 'openai', temperature: 1 },
      });
      advance(1000);
      const updated = await store.agents.update(agent.id, { name: 'Renamed', assistantName: null, model: { model: 'gpt' } });
      expect(updated).toMatchObject({ id: agent.id, folder: 'main', name: 'Renamed', model: { model: 'gpt' }, updatedAt: now() });
      expect(updated.assistantName).toBeUndefined();
      expect(updated.model.provider).toBeUndefined();
      expect(updated.createdAt).toBe(agent.createdAt);
      expect(await store.agents.get(agent.id)).toEqual(updated);
    });

    it('replaces the sandbox settings on update, its MCP servers included', async () => {
      const { store } = context();
      const tiny = { name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'] };
      const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: false, sandbox: { mcpServers: [tiny] } });
      expect(agent.sandbox).toEqual({ network: 'none', mounts: [], mcpServers: [tiny] });
      const other = { name: 'other', command: 'other-mcp', env: { MODE: 'x' } };
      expect((await store.agents.update(agent.id, { sandbox: { mcpServers: [other] } })).sandbox.mcpServers).toEqual([other]);
      const cleared = await store.agents.update(agent.id, { sandbox: { memoryMb: 512 } });
      expect(cleared.sandbox).toEqual({ network: 'none', mounts: [], memoryMb: 512 });
      expect(await store.agents.get(agent.id)).toEqual(cleared);
    });

    it('validates a new folder on update', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      await expectConfigError(store.agents.update(agent.id, { folder: 'global' }), 'global');
      await expectConfigError(store.agents.update(agent.id, { folder: 'bad folder' }), 'bad folder');
      expect((await store.agents.update(agent.id, { folder: 'renamed' })).folder).toBe('renamed');
    });

    it('throws NotFoundError for update or remove of an unknown id', async () => {
      const { store } = context();
      await expectNotFound(store.agents.update('ghost', { name: 'x' }), 'agent', 'ghost');
      await expectNotFound(store.agents.remove('ghost'), 'agent', 'ghost');
    });

    it('removes an agent together with its wirings and sessions', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
      const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
      await store.agents.remove(agent.id);
      expect(await store.agents.get(agent.id)).toBeUndefined();
      expect(await store.wirings.listForChat(chat.id)).toEqual([]);
      expect(await store.sessions.get(session.id)).toBeUndefined();
      expect(await store.chats.get(chat.id)).toEqual(chat);
    });
  });
}
