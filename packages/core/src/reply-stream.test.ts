import { canEdit } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';
import { interruptedNote, openReplyStream, type StreamingSettings } from './reply-stream';
import { splitMessage } from './split-message';

const address = { channel: 'fake', chatId: 'c1' };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(settings: StreamingSettings, maxMessageLength = 4096) {
  const store = await createSqliteStore({ path: ':memory:' });
  closers.push(() => store.close());
  const clock = createManualClock();
  const channel = createRecordingChannel({ name: 'fake', limits: { maxMessageLength }, capabilities: { edit: true } });
  if (!canEdit(channel)) throw new Error('the recording channel was made without the edit capability');
  const stream = openReplyStream({
    outbox: store.outbox,
    channel,
    address,
    entry: { key: 't1:reply', channel: 'fake', chatId: 'c1', text: '', format: 'markdown' },
    clock,
    logger: createRecordingLogger(),
    settings,
  });
  const row = async () => await store.outbox.openStream({ key: 't1:reply', channel: 'fake', chatId: 'c1', text: '' });
  return { store, clock, channel, stream, row };
}

describe('a streamed reply', () => {
  it('sends first after enough text, then edits at most once per interval on the clock', async () => {
    const { clock, channel, stream, row } = await setup({ firstAfterChars: 10, firstAfterMs: 60_000, editIntervalMs: 1_000 });
    stream.append('Hello');
    await clock.advance(0);
    expect(channel.sent).toHaveLength(0);
    stream.append(' world, ');
    await clock.advance(0);
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['Hello world,']);

    for (const word of ['how ', 'are ', 'you ', 'today?']) stream.append(word);
    await clock.advance(999);
    expect(channel.edits).toHaveLength(0);
    await clock.advance(1);
    expect(channel.edits.map((edit) => edit.text)).toEqual(['Hello world, how are you today?']);

    stream.append(' Fine.');
    await clock.advance(500);
    stream.append(' Thanks.');
    await clock.advance(499);
    expect(channel.edits).toHaveLength(1);
    await clock.advance(1);
    expect(channel.edits.map((edit) => edit.text)).toEqual([
      'Hello world, how are you today?',
      'Hello world, how are you today? Fine. Thanks.',
    ]);
    // Nothing new: no edit for its own sake.
    await clock.advance(10_000);
    expect(channel.edits).toHaveLength(2);
    expect(channel.sent).toHaveLength(1);
    await stream.stop();
    expect(await row()).toMatchObject({ streaming: true, streamMessageIds: [channel.sent[0]?.platformMessageId] });
  });

  it('takes back the text of a model call that failed and is sent again, so nothing shows twice', async () => {
    const { clock, channel, stream } = await setup({ firstAfterChars: 1, firstAfterMs: 60_000, editIntervalMs: 1_000 });
    stream.append('Checking.');
    await clock.advance(0);
    stream.nextStep();
    stream.append('The answer is');
    stream.retract('The answer is'.length);
    stream.append('The answer is 42.');
    await clock.advance(1_000);
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['Checking.']);
    expect(channel.edits.map((edit) => edit.text)).toEqual(['Checking.\n\nThe answer is 42.']);
    expect(stream.text()).toBe('Checking.\n\nThe answer is 42.');
    await stream.stop();
  });

  it('sends first after the time limit when the text stays short', async () => {
    const { clock, channel, stream } = await setup({ firstAfterChars: 100, firstAfterMs: 2_000, editIntervalMs: 1_000 });
    stream.append('Hmm');
    await clock.advance(1_999);
    expect(channel.sent).toHaveLength(0);
    await clock.advance(1);
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['Hmm']);
    await stream.stop();
  });

  it('goes on in a new message before the length limit, and records every message on the row', async () => {
    const limit = 20;
    const { clock, channel, stream, row } = await setup(
      { firstAfterChars: 1, firstAfterMs: 1_000, editIntervalMs: 1_000 },
      limit,
    );
    stream.append('one two three ');
    await clock.advance(0);
    stream.append('four five six seven eight nine ten');
    await clock.advance(1_000);
    const text = 'one two three four five six seven eight nine ten';
    const parts = splitMessage(text, limit);
    expect(parts).toHaveLength(3);
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['one two three', ...parts.slice(1)]);
    expect(channel.edits.map((edit) => [edit.platformMessageId, edit.text])).toEqual([
      [channel.sent[0]?.platformMessageId, parts[0]],
    ]);
    for (const sent of channel.sent) expect(sent.message.text.length).toBeLessThanOrEqual(limit);
    await stream.stop();
    expect((await row()).streamMessageIds).toEqual(channel.sent.map((sent) => sent.platformMessageId));
  });

  it('marks the last message as interrupted when the turn fails mid-reply, and stops editing', async () => {
    const { clock, channel, stream } = await setup({ firstAfterChars: 1, firstAfterMs: 1_000, editIntervalMs: 1_000 });
    stream.append('Half a');
    await clock.advance(0);
    stream.append(' thought');
    await stream.interrupt();
    await clock.advance(5_000);
    expect(channel.edits.map((edit) => edit.text)).toEqual([`Half a\n\n${interruptedNote}`]);
  });
});
