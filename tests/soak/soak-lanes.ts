import type { FakeTelegramServer } from '@ngb/testing';

/**
 * One conversation of the soak: a chat whose every reply the soak reads, in the order it came.
 * `replies()` only grows; `send` posts a message as the person of that chat would.
 */
export interface SoakLane {
  readonly name: string;
  replies(): readonly string[];
  send(text: string): Promise<void>;
}

/** A reply the lane expects next: what it is called in a failure, and how it is recognised. */
interface Expected {
  what: string;
  matches: (text: string) => boolean;
}

/** How long a lane waits for a reply, and how it reports progress. */
interface LaneRun {
  replyTimeoutMs: number;
  /** Called after every full turn (not after `/clear`); may wait (a memory reading). */
  onTurn: () => Promise<void> | void;
  /** Whether the run still wants turns (the total is shared by the lanes). */
  wantsMore: () => boolean;
  /** Every `toolEvery`th turn of a lane runs a tool in the sandbox; every `clearEvery`th is preceded by `/clear`. */
  toolEvery: number;
  clearEvery: number;
}

/**
 * Drives one lane turn after turn. Every reply is checked when it comes: the next one of the lane
 * must be the one its last message asked for, so a lost reply times out, a duplicate or a reply out
 * of order fails at once, and {@link assertExactlyOnce} checks at the end that none came late.
 * @returns the number of replies the lane expected
 */
export async function driveLane(lane: SoakLane, run: LaneRun): Promise<number> {
  const first = lane.replies().length;
  let expected = 0;
  const reply = async (next: Expected) => {
    expected += 1;
    const index = first + expected - 1;
    const deadline = Date.now() + run.replyTimeoutMs;
    while (lane.replies().length <= index) {
      if (Date.now() > deadline) throw new Error(`${lane.name}: no reply for ${next.what} within ${run.replyTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const text = lane.replies()[index] ?? '';
    if (!next.matches(text))
      throw new Error(`${lane.name}: reply ${expected} should be ${next.what}, got ${JSON.stringify(text.slice(0, 200))}`);
  };
  for (let index = 1; run.wantsMore(); index += 1) {
    if (index % run.clearEvery === 0) {
      await lane.send('/clear');
      await reply({ what: '/clear', matches: (text) => /cleared \d+ transcript entries/.test(text) });
    }
    const marker = `${lane.name}-${index}`;
    if (index % run.toolEvery === 0) {
      await lane.send(`run: echo tool-${marker}`);
      await reply({ what: `${marker} (tool)`, matches: (text) => text.includes(`tool-${marker}`) && text.includes('printed') });
    } else {
      await lane.send(`soak ${marker}`);
      await reply({ what: marker, matches: (text) => text === `echo: soak ${marker}` });
    }
    await run.onTurn();
  }
  return first + expected;
}

/** Fails when a lane got more replies than it asked for (a duplicate or a stray reply that came late). */
export function assertExactlyOnce(lanes: ReadonlyArray<{ lane: SoakLane; expected: number }>): void {
  for (const { lane, expected } of lanes)
    if (lane.replies().length !== expected)
      throw new Error(
        `${lane.name}: ${lane.replies().length} replies for ${expected} messages: ${lane.replies().slice(expected).join(' | ')}`,
      );
}

/** The Telegram chats' replies, each chat's in the order the fake Bot API received them. */
export function telegramReplies(telegram: FakeTelegramServer): (chatId: number) => readonly string[] {
  const byChat = new Map<string, string[]>();
  let seen = 0;
  const sort = () => {
    for (; seen < telegram.sent.length; seen += 1) {
      const sent = telegram.sent[seen];
      if (sent?.method !== 'sendMessage') continue;
      const list = byChat.get(sent.chatId) ?? [];
      list.push(sent.text ?? '');
      byChat.set(sent.chatId, list);
    }
  };
  return (chatId) => {
    sort();
    return byChat.get(String(chatId)) ?? [];
  };
}

/** A Telegram chat of the soak, on the fake Bot API: a person writes in it, the bot answers there. */
export function telegramLane(
  telegram: FakeTelegramServer,
  replies: ReturnType<typeof telegramReplies>,
  chat: { chatId: number; chatType?: 'private' | 'group' },
): SoakLane {
  return {
    name: `telegram${chat.chatId}`,
    replies: () => replies(chat.chatId),
    send: async (text) => {
      await telegram.injectMessage({ chatId: chat.chatId, chatType: chat.chatType, from: { id: 77, first_name: 'Ann' }, text });
    },
  };
}

/**
 * A chat of the web chat, read as its page reads it: the agent's messages from the event stream
 * (`message` events, in order), posted to with the page's own Origin.
 * @param base the server's URL
 * @param api where the chat's API is: `/api/chat` (the dashboard's chat) or `/chat/api` (a visitor's)
 * @param cookie the visitor's cookie (a visitor), or none (the dashboard)
 */
export async function webLane(name: string, base: string, api: string, cookie?: string): Promise<SoakLane & { close(): void }> {
  const controller = new AbortController();
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const replies: string[] = [];
  const response = await fetch(`${base}${api}/events`, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`${name}: event stream answered HTTP ${response.status}`);
  const body = response.body;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: message$/m.test(block) ? /^data: (.*)$/m.exec(block)?.[1] : undefined;
          if (data) replies.push((JSON.parse(data) as { text: string }).text);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) replies.push(`stream failed: ${String(error)}`);
    }
  })();
  return {
    name,
    replies: () => replies,
    send: async (text) => {
      const posted = await fetch(`${base}${api}/messages`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ text }),
      });
      if (posted.status >= 300) throw new Error(`${name}: POST answered HTTP ${posted.status} ${await posted.text()}`);
    },
    close: () => controller.abort(),
  };
}

/** A new web chat visitor: the cookie its first request was given. */
export async function newVisitorCookie(base: string): Promise<{ cookie: string; visitorId: string }> {
  const response = await fetch(`${base}/chat/api/history`);
  await response.body?.cancel();
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = /^(ngb_visitor=[^;]+)/.exec(setCookie)?.[1];
  if (!cookie) throw new Error(`no visitor cookie from ${base}/chat/api/history (HTTP ${response.status}): ${setCookie}`);
  const value = cookie.slice('ngb_visitor='.length);
  return { cookie, visitorId: value.slice(0, value.lastIndexOf('.')) };
}
