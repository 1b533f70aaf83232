import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../contracts/channel';
import { createRecordingChannelContext, eventually } from './recording-context';

const message: InboundMessage = {
  channel: 'test',
  chat: { id: 'c1', isGroup: false },
  platformMessageId: 'm1',
  sender: { id: 'u1', name: 'Ann' },
  text: 'hi',
  mentionsBot: false,
  timestamp: 0,
};

describe('createRecordingChannelContext', () => {
  it('records messages and statuses, and fails exactly the next receive when asked', async () => {
    const run = createRecordingChannelContext();
    await expect(run.context.receive(message)).resolves.toEqual({ dropped: 'recorded by the test' });
    run.failNextReceive();
    await expect(run.context.receive(message)).rejects.toThrow('the store cannot write');
    await run.context.receive(message);
    run.context.setStatus({ state: 'connected' });
    expect(run.received).toHaveLength(2);
    expect(run.statuses).toEqual([{ state: 'connected' }]);
  });

  it('counts calls as they come, holds them until released, and fails them all once told to', async () => {
    const run = createRecordingChannelContext({ dropped: 'kept' });
    const release = run.holdReceive();
    const held = run.context.receive(message);
    expect(run.receiveCalls()).toBe(1);
    expect(run.received).toHaveLength(0);
    release();
    await expect(held).resolves.toEqual({ dropped: 'kept' });
    run.failReceive(new Error('disk full'));
    await expect(run.context.receive(message)).rejects.toThrow('disk full');
    await expect(run.context.receive(message)).rejects.toThrow('disk full');
    expect(run.receiveCalls()).toBe(3);
    expect(run.received).toHaveLength(1);
  });
});

describe('eventually', () => {
  it('resolves with the first truthy reading and names what it waited for at the timeout', async () => {
    let reads = 0;
    await expect(eventually(() => (++reads >= 3 ? reads : undefined), 'three reads')).resolves.toBe(3);
    await expect(eventually(() => false, 'never', 30)).rejects.toThrow('[test] never: not seen within 0.03 s');
  });
});
