import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../apps/cli/test/cli-harness';
import { claimOwner, createServeFault, killHard, owner, queryReadOnly, type ServeFault } from './serve-fault-fixture';

let fault: ServeFault | undefined;
afterEach(async () => {
  await fault?.remove();
  fault = undefined;
});

/** The owner's messages and the bot's replies the database holds, with what became of each. */
function ledger(database: string) {
  return {
    inbox: queryReadOnly<{ text: string; processed: number }>(
      database,
      `SELECT messages.text AS text, session_inbox.processed_at IS NOT NULL AS processed
         FROM session_inbox JOIN messages ON messages.id = session_inbox.message_id ORDER BY session_inbox.seq`,
    ),
    outbox: queryReadOnly<{ text: string; status: string }>(database, 'SELECT text, status FROM outbox ORDER BY seq'),
    unfinishedTurns: queryReadOnly(database, "SELECT id FROM turns WHERE status IN ('queued', 'running')").length,
  };
}

/** Gives a restarted gateway time to do anything it would wrongly do twice. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

describe('kill -9 of ngb serve', { timeout: 120_000 }, () => {
  it('mid-turn: after a restart the turn runs again and the person gets exactly one reply; nothing is lost', async () => {
    fault = await createServeFault('kill-mid-turn');
    const first = await fault.serve();
    await claimOwner(fault, first);
    // The model holds its answer far longer than the test takes: the process dies waiting for it.
    fault.model.script([
      { type: 'reply', text: 'lost with the process', firstByteDelayMs: 600_000 },
      { type: 'reply', text: 'It is noon.' },
    ]);
    await fault.telegram.injectMessage({ ...owner, text: 'what time is it?' });
    await waitFor(() => fault?.model.pending() === 1, 'the model call of the turn', 20_000);
    await killHard(first);

    const killed = ledger(fault.database);
    expect(killed.inbox).toEqual([{ text: 'what time is it?', processed: 0 }]);
    expect(killed.unfinishedTurns).toBe(1);
    expect(killed.outbox.map((row) => row.text)).not.toContain('It is noon.');

    const second = await fault.serve();
    try {
      await waitFor(() => fault?.said().includes('It is noon.'), 'the reply after the restart', 60_000).catch((error: Error) => {
        const turns = queryReadOnly(fault?.database ?? '', 'SELECT status, error, attempts, next_attempt_at FROM turns');
        throw new Error(`${error.message}: turns ${JSON.stringify(turns)} at ${Date.now()}; stderr: ${second.stderr()}`);
      });
      await settle();
      expect(fault.said().filter((text) => !/owner/.test(text))).toEqual(['It is noon.']);
      const asked = fault.model.requests().at(-1)?.messages.at(-1);
      expect(asked?.content).toContain('what time is it?');
      const restarted = ledger(fault.database);
      expect(restarted.inbox).toEqual([{ text: 'what time is it?', processed: 1 }]);
      expect(restarted.unfinishedTurns).toBe(0);
      expect(restarted.outbox.filter((row) => row.text === 'It is noon.')).toEqual([{ text: 'It is noon.', status: 'sent' }]);
    } finally {
      await second.stop();
    }
  });

  it('mid-delivery of a long split reply: after a restart every part arrives once, in order', async () => {
    // The reply goes out as parts of the outbox, not streamed into edited messages (the stream's own
    // restart is the core's reply-stream test): which parts are sent when must not hang on timing.
    fault = await createServeFault('kill-mid-delivery', {
      changeConfig(config) {
        const channels = config.channels as { telegram: Record<string, unknown> };
        channels.telegram.streaming = false;
      },
    });
    const first = await fault.serve();
    await claimOwner(fault, first);
    const claimAnswers = fault.messages().length;
    // Three parts at Telegram's 4096-character limit; each part names its place.
    const paragraph = (label: string) => `${label} ${'word '.repeat(700).trim()}`;
    const reply = [paragraph('part-one'), paragraph('part-two'), paragraph('part-three')].join('\n\n');
    fault.model.script([{ type: 'reply', text: reply }]);
    const second = fault.telegram.holdNext('sendMessage', { skip: 1 });
    await fault.telegram.injectMessage({ ...owner, text: 'tell me a long story' });
    await second.held;
    await killHard(first);
    second.release();
    const parts = () => fault?.messages().slice(claimAnswers) ?? [];
    expect(parts()).toHaveLength(1);
    expect(queryReadOnly(fault.database, "SELECT status FROM outbox WHERE status = 'pending'")).toHaveLength(1);

    const restarted = await fault.serve();
    try {
      await waitFor(
        () => parts().length >= 3,
        () => `the rest of the reply (${restarted.stderr()})`,
        60_000,
      );
      await settle();
      const labels = parts().map((text) => /^part-\w+/.exec(text)?.[0]);
      expect(labels).toEqual(['part-one', 'part-two', 'part-three']);
      const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');
      expect(words(parts().join(' '))).toEqual(words(reply));
      expect(queryReadOnly(fault.database, "SELECT status FROM outbox WHERE status != 'sent'")).toEqual([]);
      expect(fault.model.requests()).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });
});
