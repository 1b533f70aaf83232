import type { InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const sentTo = (chatId: string, channel = 'fake') =>
  harness.channel.sent
    .filter((sent) => sent.address.chatId === chatId && sent.address.channel === channel)
    .map((sent) => sent.message.text);
const owners = async () =>
  (await harness.store.users.listWithRole('owner')).map((user) => `${user.channel}:${user.platformUserId}`);

let counter = 0;
function inbound(text: string, sender: string, chatId: string): InboundMessage {
  counter += 1;
  return {
    channel: 'fake',
    chat: { id: chatId, isGroup: false },
    platformMessageId: `claim-${counter}`,
    sender: { id: sender, name: sender },
    text,
    mentionsBot: false,
    timestamp: counter,
  };
}

async function claimCode(): Promise<string> {
  const claim = await harness.gateway.onboarding.claimCode();
  if (!claim) throw new Error('expected a claim code');
  return claim.code;
}

describe('claiming the gateway', () => {
  it('lets an unknown sender of a strict chat become the owner, and keeps the code from every agent and from the store', async () => {
    harness = await createHarness();
    const main = await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.addChat('strict-dm', { agent: main, policy: 'strict' });
    await harness.say('hello?', { chatId: 'strict-dm', sender: 'ann' });
    expect(sentTo('strict-dm')).toEqual([]);
    const code = await claimCode();
    await harness.say(`/claim ${code}`, { chatId: 'strict-dm', sender: 'ann' });
    expect(await owners()).toEqual(['fake:ann']);
    expect(sentTo('strict-dm')).toEqual([expect.stringMatching(/^You are now the owner/)]);
    expect(harness.events).toContainEqual(
      expect.objectContaining({ type: 'gateway.claimed', channel: 'fake', chatId: 'strict-dm', senderId: 'ann' }),
    );
    // The code was never stored as a message, never reached a model, and is gone.
    expect(await harness.store.messages.search(code)).toEqual([]);
    const chat = await harness.store.chats.getByPlatformId('fake', 'strict-dm');
    expect((await harness.store.messages.listForChat(chat?.id ?? '')).map((message) => message.text)).toEqual(['hello?']);
    expect(JSON.stringify(harness.llm.requests())).not.toContain(code);
    expect(await harness.gateway.onboarding.claimCode()).toBeUndefined();
    await harness.say('hello again', { chatId: 'strict-dm', sender: 'ann' });
    expect(sentTo('strict-dm')[1]).toBe('echo: hello again');
  });

  it('activates an unknown chat it is claimed from and wires it to the main agent; approvals then reach the owner there', async () => {
    harness = await createHarness();
    await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.say(`/claim ${await claimCode()}`, { chatId: 'ann-dm', sender: 'ann' });
    const chat = await harness.store.chats.getByPlatformId('fake', 'ann-dm');
    expect(chat).toMatchObject({ status: 'active', unknownSenderPolicy: 'strict' });
    expect((await harness.store.wirings.listForChat(chat?.id ?? '')).length).toBe(1);
    await harness.say('@Andy hi', { chatId: 'group', isGroup: true, sender: 'bob' });
    const request = sentTo('ann-dm')[1] ?? '';
    const code = /\/approve ([A-Z0-9]+)/.exec(request)?.[1];
    expect(code).toBeDefined();
    await harness.say(`/approve ${code}`, { chatId: 'ann-dm', sender: 'ann' });
    expect(sentTo('ann-dm')[2]).toMatch(/^Approved/);
    expect(sentTo('group')).toEqual(['echo: @Andy hi']);
  });

  it('makes exactly one owner of two concurrent claims with the same code', async () => {
    harness = await createHarness();
    await harness.addAgent('main', { isMain: true });
    const code = await claimCode();
    const results = await Promise.all([
      harness.gateway.receive(inbound(`/claim ${code}`, 'ann', 'ann-dm')),
      harness.gateway.receive(inbound(`/claim ${code}`, 'eve', 'eve-dm')),
      harness.gateway.receive(inbound(`/claim ${code}`, 'mal', 'mal-dm')),
    ]);
    await harness.gateway.idle();
    expect(results.every((result) => 'dropped' in result && result.dropped === 'command /claim')).toBe(true);
    expect(await owners()).toHaveLength(1);
    const answers = ['ann-dm', 'eve-dm', 'mal-dm'].flatMap((chatId) => sentTo(chatId));
    expect(answers.filter((text) => text.startsWith('You are now the owner'))).toHaveLength(1);
    expect(answers).toHaveLength(3);
  });

  it('refuses an expired code with the same neutral answer as a wrong one, and makes a new code', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock, claimCodeTtlMs: 60_000 });
    await harness.addAgent('main', { isMain: true });
    const first = await harness.gateway.onboarding.claimCode();
    expect(first?.expiresAt).toBe(Date.UTC(2026, 0, 1) + 60_000);
    expect(await harness.gateway.onboarding.claimCode()).toEqual(first);
    await clock.advance(60_000);
    await harness.say(`/claim ${first?.code}`, { chatId: 'ann-dm', sender: 'ann' });
    await harness.say('/claim WRONGCODE1', { chatId: 'ann-dm', sender: 'ann' });
    expect(sentTo('ann-dm')).toEqual(['That code is not valid.', 'That code is not valid.']);
    expect(await owners()).toEqual([]);
    const second = await claimCode();
    expect(second).not.toBe(first?.code);
    await harness.say(`/claim ${second.toLowerCase()}`, { chatId: 'ann-dm', sender: 'ann' });
    expect(await owners()).toEqual(['fake:ann']);
  });

  it('locks claiming after too many wrong codes, logs it, and opens again after the lock', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock, maxWrongCodes: 3, codeLockMs: 600_000 });
    await harness.addAgent('main', { isMain: true });
    const code = await claimCode();
    for (const guess of ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC'])
      await harness.say(`/claim ${guess}`, { chatId: 'mal-dm', sender: 'mal' });
    expect(harness.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'claim codes locked after 3 wrong codes' }),
    );
    // Even the right code is refused while locked, without being checked.
    await harness.say(`/claim ${code}`, { chatId: 'mal-dm', sender: 'mal' });
    expect(sentTo('mal-dm').at(-1)).toMatch(/^Too many wrong codes/);
    expect(await owners()).toEqual([]);
    await clock.advance(600_000);
    await harness.say(`/claim ${code}`, { chatId: 'ann-dm', sender: 'ann' });
    expect(await owners()).toEqual(['fake:ann']);
  });

  it('answers that the gateway is claimed once it has an owner, and keeps no claim code', async () => {
    harness = await createHarness();
    await harness.addAgent('main', { isMain: true });
    const code = await claimCode();
    await harness.grant('ann', 'owner');
    expect(await harness.gateway.onboarding.claimCode()).toBeUndefined();
    expect(await harness.store.onboardingCodes.listUsable('claim', Date.now())).toEqual([]);
    await harness.say(`/claim ${code}`, { chatId: 'eve-dm', sender: 'eve' });
    expect(sentTo('eve-dm')).toEqual(['This gateway is already claimed: it has an owner.']);
    expect(await owners()).toEqual(['fake:ann']);
  });

  it('makes the dashboard identity an owner when the gateway is claimed, so the dashboard chat speaks as the owner', async () => {
    const web = createRecordingChannel({ name: 'web' });
    harness = await createHarness({ channels: [web] });
    await harness.addAgent('main', { isMain: true });
    await harness.say(`/claim ${await claimCode()}`, { chatId: 'ann-dm', sender: 'ann' });
    const dashboard = await harness.store.users.getByPlatformId('web', 'dashboard');
    const ann = await harness.store.users.getByPlatformId('fake', 'ann');
    expect(dashboard?.linkedUserId).toBe(ann?.id);
    expect((await harness.store.users.listRoles(dashboard?.id ?? '')).map((role) => role.role)).toEqual(['owner']);
    await web.inject({ text: 'from the dashboard', chat: { id: 'dashboard', isGroup: false }, sender: { id: 'dashboard' } });
    await harness.gateway.idle();
    expect(web.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([['dashboard', 'echo: from the dashboard']]);
    // Another web visitor is not the dashboard.
    await web.inject({ text: 'me too', chat: { id: 'dashboard', isGroup: false }, sender: { id: 'visitor-1' } });
    await harness.gateway.idle();
    expect(web.sent).toHaveLength(1);
  });

  it('makes the dashboard identity an owner at start when an owner exists already', async () => {
    const first = await createHarness();
    await first.addAgent('main', { isMain: true });
    await first.grant('ann', 'owner');
    harness = await createHarness({ store: first.store, channels: [createRecordingChannel({ name: 'web' })] });
    const dashboard = await harness.store.users.getByPlatformId('web', 'dashboard');
    expect((await harness.store.users.listRoles(dashboard?.id ?? '')).map((role) => role.role)).toEqual(['owner']);
    expect(await harness.store.chats.getByPlatformId('web', 'dashboard')).toMatchObject({ status: 'active' });
    await harness.close();
    harness = first;
  });

  it('tells the new owner which requests came in while the gateway had no owner, and /approve answers them', async () => {
    harness = await createHarness();
    await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.say('hi, anyone?', { chatId: 'ann-dm', sender: 'ann' });
    await harness.say('@Andy hello', { chatId: 'group', isGroup: true, sender: 'bob' });
    expect(harness.texts()).toEqual([]);
    await harness.say(`/claim ${await claimCode()}`, { chatId: 'ann-dm', sender: 'ann' });
    const [welcome] = sentTo('ann-dm');
    const code = /new chat "group" \(fake\): \/approve ([A-Z0-9]+) or \/deny/.exec(welcome ?? '')?.[1];
    expect(code, welcome).toBeDefined();
    // The request of the chat claimed from is settled by the claim.
    expect(welcome?.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(1);
    expect(await harness.store.approvals.list({ status: 'pending' })).toHaveLength(1);
    await harness.say(`/approve ${code}`, { chatId: 'ann-dm', sender: 'ann' });
    expect(sentTo('group')).toEqual(['echo: @Andy hello']);
  });
});
