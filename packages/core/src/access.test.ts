import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

async function withOwner() {
  const main = await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
  await harness.addChat('owner-dm', { agent: main });
  await harness.grant('owner', 'owner');
  return main;
}

const sentTo = (chatId: string) =>
  harness.channel.sent.filter((sent) => sent.address.chatId === chatId).map((sent) => sent.message.text);
const codeIn = (text: string | undefined) => /\/approve ([A-Z0-9]+)/.exec(text ?? '')?.[1] ?? '';

describe('unknown chats', () => {
  it('keeps nothing of a plain message in an unknown group: no chat, no message, no request', async () => {
    await withOwner();
    await harness.say('just chatting', { chatId: 'g1', isGroup: true, sender: 'bob' });
    await harness.say('still chatting, @Andy is not at the start', { chatId: 'g1', isGroup: true, sender: 'bob' });
    expect(await harness.store.chats.getByPlatformId('fake', 'g1')).toBeUndefined();
    expect(await harness.store.messages.search('chatting')).toEqual([]);
    expect(await harness.store.approvals.list()).toEqual([]);
    expect(harness.texts()).toEqual([]);
    expect(harness.llm.requests()).toEqual([]);
  });

  it.each([
    ['a mention', { isGroup: true, mentionsBot: true }, 'hello bot'],
    ['the @name trigger', { isGroup: true, mentionsBot: false }, '@Andy hello'],
    ['a direct message', { isGroup: false, mentionsBot: false }, 'hello'],
  ])('%s in an unknown chat creates the pending chat, its message and one request', async (_what, extra, text) => {
    await withOwner();
    await harness.say(text, { chatId: 'new', sender: 'bob', ...extra });
    await harness.say('and a plain one', { chatId: 'new', sender: 'bob', isGroup: extra.isGroup });
    const chat = await harness.store.chats.getByPlatformId('fake', 'new');
    expect(chat?.status).toBe('pending');
    const stored = (await harness.store.messages.listForChat(chat?.id ?? '')).map((message) => message.text);
    expect(stored).toEqual(extra.isGroup ? [text] : [text, 'and a plain one']);
    expect(await harness.store.approvals.list()).toHaveLength(1);
    expect(sentTo('owner-dm')).toHaveLength(1);
  });

  it('asks the owner once, then replays the first message when approved', async () => {
    await withOwner();
    await harness.say('@Andy hello there', { chatId: 'g1', isGroup: true, sender: 'bob' });
    await harness.say('@Andy are you there?', { chatId: 'g1', isGroup: true, sender: 'bob' });
    const requests = sentTo('owner-dm');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain('hello there');
    await harness.say(`/approve ${codeIn(requests[0])}`, { chatId: 'owner-dm', sender: 'owner' });
    expect(sentTo('owner-dm')[1]).toMatch(/^Approved/);
    expect(sentTo('g1')).toEqual(['echo: @Andy hello there']);
    expect((await harness.store.chats.getByPlatformId('fake', 'g1'))?.status).toBe('active');
  });

  it('keeps a denied chat silent', async () => {
    await withOwner();
    await harness.say('@Andy hi', { chatId: 'g2', isGroup: true, sender: 'eve' });
    await harness.say(`/deny ${codeIn(sentTo('owner-dm')[0])}`, { chatId: 'owner-dm', sender: 'owner' });
    await harness.say('@Andy hi again', { chatId: 'g2', isGroup: true, sender: 'eve' });
    expect(sentTo('owner-dm')).toHaveLength(2);
    expect(sentTo('g2')).toEqual([]);
    expect((await harness.store.chats.getByPlatformId('fake', 'g2'))?.status).toBe('denied');
  });

  it('codes expire: an expired code is refused as expired, and the next message asks again with a new code', async () => {
    await harness.close();
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock, approvalTtlMs: 60_000 });
    await withOwner();
    await harness.say('@Andy hi', { chatId: 'g4', isGroup: true, sender: 'eve' });
    const first = codeIn(sentTo('owner-dm')[0]);
    expect(sentTo('owner-dm')[0]).toContain(`Reply /approve ${first} or /deny ${first} within 1 minute.`);
    await clock.advance(59_999);
    await harness.say('@Andy still there?', { chatId: 'g4', isGroup: true, sender: 'eve' });
    expect(sentTo('owner-dm')).toHaveLength(1);
    await clock.advance(1);
    await harness.say(`/approve ${first}`, { chatId: 'owner-dm', sender: 'owner' });
    expect(sentTo('owner-dm')[1]).toBe(
      `The code "${first}" expired; a new message from that chat or person asks again with a new code.`,
    );
    expect((await harness.store.chats.getByPlatformId('fake', 'g4'))?.status).toBe('pending');
    await harness.say('@Andy hello again', { chatId: 'g4', isGroup: true, sender: 'eve' });
    const second = codeIn(sentTo('owner-dm')[2]);
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    await harness.say(`/approve ${second}`, { chatId: 'owner-dm', sender: 'owner' });
    expect(sentTo('owner-dm')[3]).toMatch(/^Approved/);
    expect((await harness.store.chats.getByPlatformId('fake', 'g4'))?.status).toBe('active');
  });

  it('codes are valid for 10 minutes by default, and expire for the gateway API too', async () => {
    await harness.close();
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock });
    const main = await withOwner();
    await harness.addChat('team', { agent: main, isGroup: true, policy: 'request_approval' });
    await harness.say('can I join?', { chatId: 'team', isGroup: true, sender: 'stranger' });
    const code = codeIn(sentTo('owner-dm')[0]);
    expect(sentTo('owner-dm')[0]).toContain('within 10 minutes.');
    await clock.advance(10 * 60_000);
    await expect(harness.gateway.resolveApproval(code, 'approved')).rejects.toMatchObject({
      code: 'approval_expired',
      message: expect.stringContaining(`approval code "${code}" expired`),
    });
    await harness.say('hello?', { chatId: 'team', isGroup: true, sender: 'stranger' });
    expect(sentTo('owner-dm')).toHaveLength(2);
    expect(codeIn(sentTo('owner-dm')[1])).not.toBe(code);
  });

  it('without an owner chat, the log names the command that lists the requests', async () => {
    await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.say('hello', { chatId: 'dm-1', sender: 'bob' });
    const line = harness.logger.lines.find((entry) => entry.message.startsWith('approval requested'));
    expect(line?.message).toContain('`ngb approvals ls`');
  });

  it('refuses /approve from anyone but the owner, and unknown codes', async () => {
    await withOwner();
    await harness.say('@Andy hi', { chatId: 'g3', isGroup: true, sender: 'eve' });
    await harness.say(`/approve ${codeIn(sentTo('owner-dm')[0])}`, { chatId: 'owner-dm', sender: 'mallory' });
    await harness.say('/approve NOPE1234', { chatId: 'owner-dm', sender: 'owner' });
    expect(sentTo('owner-dm').slice(1)).toEqual([
      '/approve is for the owner only.',
      'No pending request has the code "NOPE1234".',
    ]);
    expect((await harness.store.chats.getByPlatformId('fake', 'g3'))?.status).toBe('pending');
  });
});

describe('unknown senders and roles', () => {
  it('request_approval: asks the owner once per sender and replays the message after approval', async () => {
    const main = await withOwner();
    await harness.addChat('team', { agent: main, isGroup: true, policy: 'request_approval' });
    await harness.say('can you help?', { chatId: 'team', isGroup: true, sender: 'stranger' });
    await harness.say('hello?', { chatId: 'team', isGroup: true, sender: 'stranger' });
    expect(sentTo('team')).toEqual([]);
    const requests = sentTo('owner-dm');
    expect(requests).toHaveLength(1);
    await harness.say(`/approve ${codeIn(requests[0])}`, { chatId: 'owner-dm', sender: 'owner' });
    expect(sentTo('team')).toEqual(['echo: can you help?']);
    await harness.say('thanks', { chatId: 'team', isGroup: true, sender: 'stranger' });
    expect(sentTo('team')).toEqual(['echo: can you help?', 'echo: thanks']);
  });

  it.each([
    ['a stranger', undefined, false],
    ['the owner', 'owner', true],
    ['a global admin', 'admin', true],
    ['an admin of this agent', 'admin-here', true],
    ['an admin of another agent', 'admin-elsewhere', false],
  ] as const)('strict chat: %s → answered=%s', async (_who, role, answered) => {
    const agent = await harness.addAgent('andy');
    const other = await harness.addAgent('other');
    await harness.addChat('strict', { agent, isGroup: true, policy: 'strict' });
    if (role === 'owner') await harness.grant('u', 'owner');
    if (role === 'admin') await harness.grant('u', 'admin');
    if (role === 'admin-here') await harness.grant('u', 'admin', agent.id);
    if (role === 'admin-elsewhere') await harness.grant('u', 'admin', other.id);
    await harness.say('hello', { chatId: 'strict', isGroup: true, sender: 'u' });
    expect(sentTo('strict')).toEqual(answered ? ['echo: hello'] : []);
  });

  it('lets members of the agent talk in a strict chat', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('strict', { agent, isGroup: true, policy: 'strict' });
    const user = await harness.store.users.upsert({ channel: 'fake', platformUserId: 'member' });
    await harness.store.agentMembers.add(agent.id, user.id);
    await harness.say('hi', { chatId: 'strict', isGroup: true, sender: 'member' });
    expect(sentTo('strict')).toEqual(['echo: hi']);
  });
});

describe('admin commands', () => {
  it.each(['/clear', '/compact', '/cost', '/cost@andy_bot'])(
    '%s from a non-admin gets a one-line refusal and never reaches the model',
    async (command) => {
      const agent = await harness.addAgent('andy');
      await harness.addChat('c1', { agent });
      await harness.say(command, { chatId: 'c1', sender: 'someone' });
      expect(harness.texts()).toEqual([`/${command.slice(1).split('@')[0]} is for admins only.`]);
      expect(harness.llm.requests()).toEqual([]);
    },
  );

  it('/cost and /clear work for an admin', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.grant('boss', 'admin');
    await harness.say('hello', { chatId: 'c1', sender: 'boss' });
    await harness.say('/cost', { chatId: 'c1', sender: 'boss' });
    expect(harness.texts()[1]).toMatch(
      /^andy: 1 turns, \d+ input \+ \d+ output tokens, cost unknown for 1 of them \(no price for fake-model\)\.$/,
    );
    await harness.say('/clear', { chatId: 'c1', sender: 'boss' });
    expect(harness.texts()[2]).toBe('andy: cleared 2 transcript entries.');
    const [session] = await harness.store.sessions.list();
    expect(await harness.store.transcript.count(session?.id ?? '')).toBe(0);
  });

  it('/compact replaces the transcript by a summary the model writes', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.grant('boss', 'owner');
    await harness.say('remember the number 42', { chatId: 'c1', sender: 'boss' });
    harness.llm.enqueue({ type: 'reply', text: 'The user asked to remember 42.' });
    await harness.say('/compact', { chatId: 'c1', sender: 'boss' });
    expect(harness.texts()[1]).toMatch(
      /^andy: compacted 2 entries into a summary \(about \d+ → \d+ tokens\); the full text is archived\.$/,
    );
    const [session] = await harness.store.sessions.list();
    const entries = await harness.store.transcript.list(session?.id ?? '');
    expect(entries.map((entry) => entry.content)).toEqual([
      { role: 'user', content: '<conversation_summary>\nThe user asked to remember 42.\n</conversation_summary>' },
    ]);
    expect((await harness.store.transcript.listArchived(session?.id ?? '')).map((entry) => entry.role)).toEqual([
      'user',
      'assistant',
    ]);
  });
});
