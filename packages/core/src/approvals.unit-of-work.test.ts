import { afterEach, describe, expect, it } from 'vitest';
import { failingOnce } from './__tests__/failing-store';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('resolving an approval', () => {
  it('is one unit: when routing the held message fails, nothing of the decision is kept and the code still works', async () => {
    const fault = failingOnce('inbox', 'add');
    harness = await createHarness({ wrapStore: fault.wrap });
    const main = await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.addChat('owner-dm', { agent: main });
    await harness.grant('owner', 'owner');
    await harness.say('hello there', { chatId: 'stranger', sender: 'bob' });
    const [approval] = await harness.store.approvals.list();
    expect(approval?.status).toBe('pending');

    fault.arm();
    await expect(harness.gateway.resolveApproval(approval?.code ?? '', 'approved')).rejects.toThrow(/crash in inbox.add/);
    expect((await harness.store.approvals.getByCode(approval?.code ?? ''))?.status).toBe('pending');
    expect((await harness.store.chats.getByPlatformId('fake', 'stranger'))?.status).toBe('pending');

    await harness.gateway.resolveApproval(approval?.code ?? '', 'approved');
    await harness.gateway.idle();
    expect(harness.channel.sent.filter((sent) => sent.address.chatId === 'stranger').map((sent) => sent.message.text)).toEqual([
      'echo: hello there',
    ]);
  });
});
