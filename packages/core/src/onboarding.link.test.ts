import { createRecordingChannel, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
let slack: RecordingChannel;
let web: RecordingChannel;
beforeEach(async () => {
  slack = createRecordingChannel({ name: 'slack' });
  web = createRecordingChannel({ name: 'web' });
  harness = await createHarness({ channels: [slack, web] });
  await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
  const claim = await harness.gateway.onboarding.claimCode();
  await harness.say(`/claim ${claim?.code}`, { chatId: 'ann-dm', sender: 'ann' });
});
afterEach(async () => {
  await harness.close();
});

const sentTo = (chatId: string) =>
  harness.channel.sent.filter((sent) => sent.address.chatId === chatId).map((sent) => sent.message.text);
const linkCodeIn = (text: string | undefined) => /\/link ([0-9A-Z]+)/.exec(text ?? '')?.[1] ?? '';

async function sayOnSlack(text: string, sender = 'U-ann', chatId = 'D-ann') {
  await slack.inject({ text, chat: { id: chatId, isGroup: false }, sender: { id: sender, name: sender } });
  await harness.gateway.idle();
}

describe('linking identities', () => {
  it('links an identity on a second channel to the same user, whose roles it then holds', async () => {
    await harness.say('/link', { chatId: 'ann-dm', sender: 'ann' });
    const code = linkCodeIn(sentTo('ann-dm').at(-1));
    expect(code).toMatch(/^[0-9A-Z]{10}$/);
    await sayOnSlack(`/link ${code}`);
    const ann = await harness.store.users.getByPlatformId('fake', 'ann');
    const annOnSlack = await harness.store.users.getByPlatformId('slack', 'U-ann');
    expect(annOnSlack?.linkedUserId).toBe(ann?.id);
    expect((await harness.store.users.listRoles(annOnSlack?.id ?? '')).map((role) => role.role)).toEqual(['owner']);
    expect(slack.sent.map((sent) => sent.message.text)).toEqual(['Linked: this account now acts as ann.']);
    expect(harness.events).toContainEqual(
      expect.objectContaining({ type: 'identity.linked', channel: 'slack', senderId: 'U-ann' }),
    );
    // The owner's new chat is served, and the code works once.
    await sayOnSlack('hello from slack');
    expect(slack.sent.at(-1)?.message.text).toBe('echo: hello from slack');
    await sayOnSlack(`/link ${code}`, 'U-eve', 'D-eve');
    expect(slack.sent.at(-1)?.message.text).toBe('That code is not valid.');
    expect((await harness.store.users.getByPlatformId('slack', 'U-eve'))?.linkedUserId).toBeUndefined();
    // Owner rights from the linked identity: /approve works there.
    await harness.say('@Andy hi', { chatId: 'group', isGroup: true, sender: 'bob' });
    const approval = /\/approve ([A-Z0-9]+)/.exec(sentTo('ann-dm').at(-1) ?? '')?.[1];
    await sayOnSlack(`/approve ${approval}`);
    expect(slack.sent.at(-1)?.message.text).toMatch(/^Approved/);
  });

  it('gives no link code in a group, nor to someone the gateway does not know', async () => {
    await harness.say('/link', { chatId: 'team', isGroup: true, sender: 'ann' });
    await harness.say('/link', { chatId: 'eve-dm', sender: 'eve' });
    expect(sentTo('team')).toEqual([expect.stringMatching(/^Send \/link in a direct chat/)]);
    expect(sentTo('eve-dm')).toEqual(['Only people the gateway knows can link accounts.']);
    expect(await harness.store.onboardingCodes.listUsable('link', Date.now())).toEqual([]);
  });

  it('never links the dashboard identity by a code', async () => {
    await harness.say('/link', { chatId: 'ann-dm', sender: 'ann' });
    const code = linkCodeIn(sentTo('ann-dm').at(-1));
    await web.inject({ text: `/link ${code}`, chat: { id: 'dashboard', isGroup: false }, sender: { id: 'dashboard' } });
    await harness.gateway.idle();
    expect(web.sent.at(-1)?.message.text).toMatch(/cannot be linked/);
    // The code is still there for the account it was meant for.
    expect(await harness.store.onboardingCodes.listUsable('link', Date.now())).toHaveLength(1);
  });
});
