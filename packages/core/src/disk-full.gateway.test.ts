import { join } from 'node:path';
import { type ChannelAdapter, definePlugin } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { mountSmallDisk } from '@ngb/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

const disk = mountSmallDisk('core-disk-full', { required: process.env.CI === 'true' });
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(() => disk.remove());

describe.skipIf(disk.folder === undefined)('a full disk under the store', () => {
  it('a turn whose commit the store refused runs again once space returns, and its reply goes out once', async () => {
    const clock = createManualClock();
    let filled = false;
    // The disk fills while the turn runs: its start was recorded, its end cannot be.
    const filler = definePlugin({
      name: 'filler',
      version: '1.0.0',
      setup(api) {
        api.on('agent:start', () => {
          if (!filled) disk.fill();
          filled = true;
          return undefined;
        });
      },
    });
    harness = await createHarness({
      storePath: join(disk.folder ?? '', 'turn.db'),
      clock,
      plugins: [{ plugin: filler }],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    expect(filled).toBe(true);
    expect(harness.texts()).toEqual([]);
    expect(harness.logger.lines.some((line) => /disk holding the database .* is full/.test(String(line.fields?.error)))).toBe(
      true,
    );

    disk.free();
    await clock.advance(60_000);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['echo: hello']);
    expect((await harness.store.outbox.listPending({ channel: 'fake', chatId: 'c1' })).length).toBe(0);
  });

  it('a reply the platform took whose record the store refused is recorded once space returns, never sent again', async () => {
    const clock = createManualClock();
    const recording = createRecordingChannel({ name: 'full', limits: { maxMessageLength: 4096 } });
    // The disk fills right after the platform accepted the reply: marking it sent fails.
    const channel: ChannelAdapter = {
      ...recording,
      start: (context) => recording.start(context),
      stop: () => recording.stop(),
      async send(address, message) {
        const receipt = await recording.send(address, message);
        if (recording.sent.length === 1) disk.fill();
        return receipt;
      },
    };
    harness = await createHarness({ storePath: join(disk.folder ?? '', 'delivery.db'), clock, channels: [channel] });
    const agent = await harness.addAgent('andy');
    const chat = await harness.store.chats.upsert({
      channel: 'full',
      platformChatId: 'c1',
      name: 'c1',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await harness.store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    await harness.gateway.receive({
      channel: 'full',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'user-1', name: 'User One', isBot: false },
      text: 'hello',
      mentionsBot: false,
      platformMessageId: 'p1',
      timestamp: 1,
    });
    await harness.gateway.idle();
    expect(recording.sent.map((sent) => sent.message.text)).toEqual(['echo: hello']);

    disk.free();
    for (let second = 0; second < 30; second += 1) await clock.advance(1_000);
    await harness.gateway.idle();
    expect(recording.sent.map((sent) => sent.message.text)).toEqual(['echo: hello']);
    expect(await harness.store.outbox.listPending({ channel: 'full', chatId: 'c1' })).toEqual([]);
  });
});
