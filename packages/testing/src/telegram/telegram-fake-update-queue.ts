import type { ServerResponse } from 'node:http';
import { FakeTelegramFailure, writeAnswer } from './telegram-fake-http';

interface Waiter {
  response: ServerResponse;
  limit: number;
  timer: ReturnType<typeof setTimeout>;
}

/** The updates of the fake platform: a queue `getUpdates` long-polls, or deliveries to a webhook. */
export function createFakeTelegramUpdates() {
  const queue: Array<Record<string, unknown>> = [];
  const deliveries: Array<{ updateId: number; status: number }> = [];
  let waiter: Waiter | undefined;
  let nextUpdateId = 500_000_001;
  let webhook: { url: string; secretToken?: string } | undefined;
  let silent = false;

  const release = (target: Waiter) => {
    clearTimeout(target.timer);
    if (waiter === target) waiter = undefined;
  };
  const answerWaiter = () => {
    if (!waiter || silent || queue.length === 0) return;
    const target = waiter;
    release(target);
    writeAnswer(target.response, { result: queue.slice(0, target.limit) });
  };

  async function post(update: Record<string, unknown>, target: { url: string; secretToken?: string }) {
    let status = 0;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(target.secretToken === undefined ? {} : { 'x-telegram-bot-api-secret-token': target.secretToken }),
        },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    deliveries.push({ updateId: update.update_id as number, status });
  }

  return {
    deliveries,
    get webhook() {
      return webhook;
    },
    pending: () => queue.length,
    stamp(update: Record<string, unknown>): Record<string, unknown> {
      const stamped = { update_id: nextUpdateId, ...update };
      nextUpdateId += 1;
      return stamped;
    },
    async deliver(update: Record<string, unknown>): Promise<Record<string, unknown>> {
      const stamped = this.stamp(update);
      if (webhook) await post(stamped, webhook);
      else {
        queue.push(stamped);
        answerWaiter();
      }
      return stamped;
    },
    setWebhook(target: { url: string; secretToken?: string } | undefined, dropPending: boolean): true {
      webhook = target;
      if (dropPending) queue.length = 0;
      if (webhook && waiter) {
        const target = waiter;
        release(target);
        writeAnswer(target.response, { failure: new FakeTelegramFailure(409, 'Conflict: terminated by setWebhook request') });
      }
      return true;
    },
    poll(params: Record<string, unknown>, response: ServerResponse): void {
      if (webhook)
        throw new FakeTelegramFailure(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      const offset = Number(params.offset ?? 0);
      if (offset > 0) while (queue.length > 0 && ((queue[0]?.update_id as number) ?? 0) < offset) queue.shift();
      const limit = Math.min(Math.max(Number(params.limit ?? 100) || 100, 1), 100);
      const timeoutMs = Math.max(0, Number(params.timeout ?? 0) || 0) * 1000;
      if (waiter) {
        const older = waiter;
        release(older);
        writeAnswer(older.response, {
          failure: new FakeTelegramFailure(409, 'Conflict: terminated by other getUpdates request'),
        });
      }
      if (queue.length > 0 && !silent) {
        writeAnswer(response, { result: queue.slice(0, limit) });
        return;
      }
      const target: Waiter = {
        response,
        limit,
        timer: setTimeout(() => {
          if (silent) return;
          release(target);
          writeAnswer(response, { result: [] });
        }, timeoutMs),
      };
      waiter = target;
      response.on('close', () => release(target));
    },
    setSilent(value: boolean) {
      silent = value;
      if (silent || !waiter) return;
      if (queue.length > 0) answerWaiter();
      else {
        const target = waiter;
        release(target);
        writeAnswer(target.response, { result: [] });
      }
    },
    close() {
      if (waiter) release(waiter);
    },
  };
}
