import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, seedAgent, seedChat, startTime } from './context';

export function describeChatCases(context: ContextAccessor): void {
  describe('chats', () => {
    it('creates a chat as pending with a strict policy by default', async () => {
      const { store, generatedIds } = context();
      const chat = await store.chats.upsert({ channel: 'telegram', platformChatId: '-100', name: 'Family', isGroup: true });
      expect(generatedIds).toContain(chat.id);
      expect(chat).toEqual({
        id: chat.id,
        channel: 'telegram',
        platformChatId: '-100',
        name: 'Family',
        isGroup: true,
        unknownSenderPolicy: 'strict',
        status: 'pending',
        createdAt: startTime,
        updatedAt: startTime,
      });
    });

    it('uses the status and policy given on creation', async () => {
      const { store } = context();
      const chat = await store.chats.upsert({
        channel: 'web',
        platformChatId: 'local',
        name: 'Web',
        isGroup: false,
        status: 'active',
        unknownSenderPolicy: 'public',
      });
      expect(chat).toMatchObject({ status: 'active', unknownSenderPolicy: 'public' });
    });

    it('upserting an existing chat keeps its id, status and policy and refreshes name and isGroup', async () => {
      const { store, advance } = context();
      const first = await store.chats.upsert({ channel: 'slack', platformChatId: 'C1', name: 'general', isGroup: true });
      await store.chats.update(first.id, { status: 'active', unknownSenderPolicy: 'request_approval' });
      advance(10);
      const again = await store.chats.upsert({
        channel: 'slack',
        platformChatId: 'C1',
        name: 'general-renamed',
        isGroup: false,
        status: 'denied',
        unknownSenderPolicy: 'public',
      });
      expect(again).toMatchObject({
        id: first.id,
        name: 'general-renamed',
        isGroup: false,
        status: 'active',
        unknownSenderPolicy: 'request_approval',
      });
      expect(await store.chats.list()).toHaveLength(1);
      const unchanged = await store.chats.upsert({
        channel: 'slack',
        platformChatId: 'C1',
        name: 'general-renamed',
        isGroup: false,
      });
      expect(unchanged).toEqual(again);
    });

    it('tells chats apart by channel', async () => {
      const { store } = context();
      const telegram = await store.chats.upsert({ channel: 'telegram', platformChatId: '42', name: 'a', isGroup: false });
      const discord = await store.chats.upsert({ channel: 'discord', platformChatId: '42', name: 'b', isGroup: false });
      expect(telegram.id).not.toBe(discord.id);
      expect((await store.chats.getByPlatformId('discord', '42'))?.id).toBe(discord.id);
      expect((await store.chats.getByPlatformId('telegram', '42'))?.id).toBe(telegram.id);
      expect(await store.chats.getByPlatformId('slack', '42')).toBeUndefined();
      expect(await store.chats.get('missing')).toBeUndefined();
    });

    it('lists chats oldest first, filtered by channel and status', async () => {
      const { store } = context();
      const a = await store.chats.upsert({ channel: 'x', platformChatId: '1', name: 'a', isGroup: true, status: 'active' });
      const b = await store.chats.upsert({ channel: 'y', platformChatId: '2', name: 'b', isGroup: true });
      const c = await store.chats.upsert({ channel: 'x', platformChatId: '3', name: 'c', isGroup: true });
      expect((await store.chats.list()).map((chat) => chat.id)).toEqual([a.id, b.id, c.id]);
      expect((await store.chats.list({ channel: 'x' })).map((chat) => chat.id)).toEqual([a.id, c.id]);
      expect((await store.chats.list({ status: 'pending' })).map((chat) => chat.id)).toEqual([b.id, c.id]);
      expect((await store.chats.list({ channel: 'x', status: 'active' })).map((chat) => chat.id)).toEqual([a.id]);
    });

    it('updates name, policy and status, and refuses unknown ids', async () => {
      const { store, advance, now } = context();
      const chat = await seedChat(store);
      advance(5);
      const updated = await store.chats.update(chat.id, { name: 'New', unknownSenderPolicy: 'public', status: 'denied' });
      expect(updated).toMatchObject({ name: 'New', unknownSenderPolicy: 'public', status: 'denied', updatedAt: now() });
      expect(await store.chats.get(chat.id)).toEqual(updated);
      await expectNotFound(store.chats.update('nope', { status: 'active' }), 'chat', 'nope');
    });
  });
}

export function describeWiringCases(context: ContextAccessor): void {
  describe('wirings', () => {
    it('adds a wiring with defaults', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const wiring = await store.wirings.add({
        chatId: chat.id,
        agentId: agent.id,
        engage: 'mention',
        sessionMode: 'per-thread',
      });
      expect(wiring).toEqual({
        id: wiring.id,
        chatId: chat.id,
        agentId: agent.id,
        engage: 'mention',
        sessionMode: 'per-thread',
        priority: 0,
        accumulate: false,
        createdAt: startTime,
      });
      expect(await store.wirings.get(wiring.id)).toEqual(wiring);
      expect(await store.wirings.get('nope')).toBeUndefined();
    });

    it('refuses engage "pattern" without a pattern, and invalid patterns, before saving', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const base = { chatId: chat.id, agentId: agent.id, sessionMode: 'shared' as const };
      await expectConfigError(store.wirings.add({ ...base, engage: 'pattern' }), /pattern/);
      await expectConfigError(store.wirings.add({ ...base, engage: 'pattern', pattern: '' }), /pattern/);
      await expectConfigError(store.wirings.add({ ...base, engage: 'pattern', pattern: '(unclosed' }), /\(unclosed/);
      await expectConfigError(store.wirings.add({ ...base, engage: 'always', pattern: '[z-a]' }), /pattern/);
      expect(await store.wirings.listForChat(chat.id)).toEqual([]);
      const ok = await store.wirings.add({ ...base, engage: 'pattern', pattern: '^@?andy\\b', accumulate: true });
      expect(ok).toMatchObject({ engage: 'pattern', pattern: '^@?andy\\b', accumulate: true });
    });

    it('allows one wiring per chat and agent', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
      await expectConfigError(
        store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'mention', sessionMode: 'shared' }),
      );
      expect(await store.wirings.listForChat(chat.id)).toHaveLength(1);
    });

    it('refuses unknown chats and agents with NotFoundError', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      await expectNotFound(
        store.wirings.add({ chatId: 'ghost', agentId: agent.id, engage: 'always', sessionMode: 'shared' }),
        'chat',
        'ghost',
      );
      await expectNotFound(
        store.wirings.add({ chatId: chat.id, agentId: 'ghost', engage: 'always', sessionMode: 'shared' }),
        'agent',
        'ghost',
      );
    });

    it("lists a chat's wirings by priority (highest first), then oldest first", async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const order: Array<[string, number]> = [
        ['a', 0],
        ['b', 5],
        ['c', 0],
        ['d', 5],
        ['e', -1],
      ];
      const ids = new Map<string, string>();
      for (const [name, priority] of order) {
        const agent = await seedAgent(store, { name });
        const wiring = await store.wirings.add({
          chatId: chat.id,
          agentId: agent.id,
          engage: 'always',
          sessionMode: 'shared',
          priority,
        });
        ids.set(wiring.id, name);
      }
      const listed = (await store.wirings.listForChat(chat.id)).map((wiring) => ids.get(wiring.id));
      expect(listed).toEqual(['b', 'd', 'a', 'c', 'e']);
    });

    it("lists an agent's wirings oldest first and removes wirings", async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const first = await store.wirings.add({
        chatId: (await seedChat(store)).id,
        agentId: agent.id,
        engage: 'always',
        sessionMode: 'shared',
      });
      const second = await store.wirings.add({
        chatId: (await seedChat(store)).id,
        agentId: agent.id,
        engage: 'always',
        sessionMode: 'agent-shared',
        priority: 9,
      });
      expect((await store.wirings.listForAgent(agent.id)).map((wiring) => wiring.id)).toEqual([first.id, second.id]);
      await store.wirings.remove(first.id);
      expect((await store.wirings.listForAgent(agent.id)).map((wiring) => wiring.id)).toEqual([second.id]);
      await expectNotFound(store.wirings.remove(first.id), 'wiring', first.id);
    });

    it('updates a wiring in place, checking the result as add does, and refuses unknown ids', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const wiring = await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'mention', sessionMode: 'shared' });
      const changed = await store.wirings.update(wiring.id, {
        engage: 'pattern',
        pattern: '^deploy\\b',
        sessionMode: 'per-thread',
        priority: 4,
        accumulate: true,
      });
      expect(changed).toEqual({
        ...wiring,
        engage: 'pattern',
        pattern: '^deploy\\b',
        sessionMode: 'per-thread',
        priority: 4,
        accumulate: true,
      });
      expect(await store.wirings.get(wiring.id)).toEqual(changed);
      await expectConfigError(store.wirings.update(wiring.id, { pattern: '(unclosed' }), /\(unclosed/);
      await expectConfigError(store.wirings.update(wiring.id, { pattern: null }), /pattern/);
      await expectConfigError(store.wirings.update(wiring.id, { sessionMode: 'nope' as never }), /sessionMode/);
      expect(await store.wirings.get(wiring.id)).toEqual(changed);
      const cleared = await store.wirings.update(wiring.id, { engage: 'always', pattern: null });
      expect(cleared.pattern).toBeUndefined();
      expect(cleared).toMatchObject({ engage: 'always', priority: 4, sessionMode: 'per-thread' });
      await expectNotFound(store.wirings.update('ghost', { priority: 1 }), 'wiring', 'ghost');
    });
  });
}
