import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

describe('JSON columns written by something else', () => {
  it('are read with a default and a warning instead of an exception', async () => {
    const database = new Database(':memory:');
    const logger = createRecordingLogger();
    const store = await createSqliteStore({ database, logger });
    const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true, model: { model: 'x' } });
    const chat = await store.chats.upsert({ channel: 'c', platformChatId: '1', name: 'n', isGroup: false });
    const { message } = await store.messages.insert({
      chatId: chat.id,
      platformMessageId: '1',
      senderId: 'u',
      text: 't',
      mentionsBot: false,
      attachments: [{ kind: 'file', reference: 'r' }],
      timestamp: 1,
      direction: 'inbound',
    });
    const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
    const [entry] = await store.transcript.append(session.id, [{ role: 'user', content: { a: 1 } }]);
    await store.kv.set('ns', 'k', { b: 2 });

    database.prepare("UPDATE agents SET model = '{broken', sandbox = 'nope'").run();
    database.prepare("UPDATE messages SET attachments = '[{'").run();
    database.prepare("UPDATE transcript SET content = 'not json'").run();
    database.prepare("UPDATE kv SET value = '}'").run();

    expect(await store.agents.get(agent.id)).toMatchObject({ model: {}, sandbox: { network: 'none', mounts: [] } });
    expect((await store.messages.get(message.id))?.attachments).toEqual([]);
    expect((await store.transcript.list(session.id)).map((item) => [item.id, item.content])).toEqual([[entry?.id, null]]);
    expect(await store.kv.get('ns', 'k')).toBeUndefined();
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.fields?.where)).toEqual([
      `agents ${agent.id} model`,
      `agents ${agent.id} sandbox`,
      `messages ${message.id} attachments`,
      `transcript ${entry?.id} content`,
      'kv ns/k',
    ]);
    expect(warnings.every((line) => line.tag === 'store')).toBe(true);
    await store.close();
    database.close();
  });
});
