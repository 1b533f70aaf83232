import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const call = (name: string, input: Record<string, unknown>) => ({ type: 'reply' as const, toolCalls: [{ name, input }] });
const toolResults = (h: Harness) =>
  h.llm.requests().flatMap((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'tool' ? [last.content] : [];
  });

describe('host tools', () => {
  it('send_message goes to the origin chat or a named chat destination, and refuses anything else', async () => {
    harness = await createHarness({
      script: [
        call('send_message', { text: 'to origin' }),
        call('send_message', { text: 'to team', destination: 'team' }),
        call('send_message', { text: 'nope', destination: 'nowhere' }),
        call('send_message', { text: 'nope', destination: 'helper' }),
        { type: 'reply', text: 'done' },
      ],
    });
    const agent = await harness.addAgent('andy');
    const helper = await harness.addAgent('helper');
    await harness.addChat('c1', { agent });
    const team = await harness.addChat('team-chat', { agent, isGroup: true });
    await harness.store.destinations.set({ agentId: agent.id, name: 'team', target: { type: 'chat', chatId: team.id } });
    await harness.store.destinations.set({ agentId: agent.id, name: 'helper', target: { type: 'agent', agentId: helper.id } });
    await harness.say('go');
    expect(harness.channel.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([
      ['c1', 'to origin'],
      ['team-chat', 'to team'],
    ]);
    expect(toolResults(harness)).toEqual([
      'sent',
      'sent',
      'Error: unknown destination "nowhere"',
      'Error: "helper" is an agent: use send_to_agent',
    ]);
  });

  it('records the hops of messages between agents and the sent flag of a turn as columns, not key-value rows', async () => {
    harness = await createHarness({ hopLimit: 3 });
    const asker = await harness.addAgent('asker');
    const expert = await harness.addAgent('expert');
    await harness.addChat('c1', { agent: asker });
    await harness.store.destinations.set({ agentId: asker.id, name: 'expert', target: { type: 'agent', agentId: expert.id } });
    harness.llm.script([
      call('send_to_agent', { destination: 'expert', text: 'what is 6*7?' }),
      call('send_message', { text: 'asking the expert' }),
      { type: 'reply', text: 'not sent again' },
      { type: 'reply', text: '42' },
      { type: 'reply', text: 'The expert says 42.' },
    ]);
    await harness.say('ask the expert');
    const routed = harness.events.flatMap((event) => (event.type === 'message.routed' ? [event.messageId] : []));
    const hops = await Promise.all(routed.map(async (id) => (await harness?.store.messages.get(id))?.hop));
    expect(hops).toEqual([0, 1, 2]);
    for (const id of routed) expect(await harness.store.kv.get('hops', id)).toBeUndefined();
    const [first] = harness.events.flatMap((event) => (event.type === 'turn.end' ? [event.turnId] : []));
    expect((await harness.store.turns.get(first ?? ''))?.sentMessage).toBe(true);
    expect(await harness.store.kv.get('turn-sent', first ?? '')).toBeUndefined();
    expect(harness.texts()).toEqual(['asking the expert', 'The expert says 42.']);
  });

  it('send_to_agent reaches the other agent and its answer comes back', async () => {
    harness = await createHarness({ hopLimit: 2 });
    const asker = await harness.addAgent('asker');
    const expert = await harness.addAgent('expert');
    await harness.addChat('c1', { agent: asker });
    await harness.store.destinations.set({ agentId: asker.id, name: 'expert', target: { type: 'agent', agentId: expert.id } });
    harness.llm.script([
      call('send_to_agent', { destination: 'expert', text: 'what is 6*7?' }),
      { type: 'reply', text: 'asked the expert' },
      { type: 'reply', text: '42' },
      { type: 'reply', text: 'The expert says 42.' },
    ]);
    await harness.say('ask the expert');
    const requests = harness.llm.requests();
    expect(requests).toHaveLength(4);
    const expertPrompt = requests[2]?.messages.at(-1);
    expect(expertPrompt?.role === 'user' && expertPrompt.content).toContain('sender="asker"');
    const back = requests[3]?.messages.at(-1);
    expect(back?.role === 'user' && back.content).toContain('>42</message>');
    expect(harness.texts()).toEqual(['asked the expert', 'The expert says 42.']);
    expect(harness.events.some((event) => event.type === 'message.dropped' && event.reason.includes('hop limit'))).toBe(false);
  });

  it('the hop limit stops agents from answering each other forever', async () => {
    harness = await createHarness({ hopLimit: 1 });
    const asker = await harness.addAgent('asker');
    const expert = await harness.addAgent('expert');
    await harness.addChat('c1', { agent: asker });
    await harness.store.destinations.set({ agentId: asker.id, name: 'expert', target: { type: 'agent', agentId: expert.id } });
    await harness.store.destinations.set({ agentId: expert.id, name: 'asker', target: { type: 'agent', agentId: asker.id } });
    harness.llm.script([
      call('send_to_agent', { destination: 'expert', text: 'ping' }),
      { type: 'reply', text: 'asked' },
      call('send_to_agent', { destination: 'asker', text: 'pong' }),
      { type: 'reply', text: 'expert done' },
    ]);
    await harness.say('start');
    expect(harness.llm.requests()).toHaveLength(4);
    expect(toolResults(harness)).toEqual(['sent', 'Error: not sent: the hop limit (1) between agents was reached']);
    expect(harness.events.some((event) => event.type === 'message.dropped' && event.reason.includes('hop limit 1'))).toBe(true);
    expect(harness.texts()).toEqual(['asked']);
  });

  it('register_chat is for the main agent only', async () => {
    harness = await createHarness({
      script: [call('register_chat', { channel: 'fake', chatId: 'new-chat' }), { type: 'reply', text: 'ok' }],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('register it');
    expect(toolResults(harness)).toEqual(['Error: only the main agent may register chats']);
    expect(await harness.store.chats.getByPlatformId('fake', 'new-chat')).toBeUndefined();
  });

  it('register_chat by the main agent allows and wires the chat', async () => {
    harness = await createHarness({
      script: [
        call('register_chat', { channel: 'fake', chatId: 'new-chat', isGroup: true, unknown_sender_policy: 'public' }),
        { type: 'reply', text: 'ok' },
      ],
    });
    const main = await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.addChat('c1', { agent: main });
    await harness.say('register it');
    const chat = await harness.store.chats.getByPlatformId('fake', 'new-chat');
    expect(chat?.status).toBe('active');
    expect((await harness.store.wirings.listForChat(chat?.id ?? '')).map((wiring) => wiring.engage)).toEqual(['mention']);
    await harness.say('@Andy hi', { chatId: 'new-chat', isGroup: true });
    expect(harness.texts().at(-1)).toBe('echo: @Andy hi');
  });
});
