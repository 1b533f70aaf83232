// The shapes the fake Feishu records and takes.

/** A call of the Open API the fake received. */
export interface FakeFeishuCall {
  /** The route's name: `token`, `ws.endpoint` (the long connection's lookup), `bot.info`, `user.get`, `message.create`, `message.reply`, `message.update`,
   * `message.patch`, `message.delete`, `message.resource`, `file.create`, `image.create`. */
  route: string;
  method: string;
  path: string;
  /** The Bearer token it carried. */
  token?: string;
  query: Record<string, string>;
  body?: unknown;
}

/** A failure the fake answers instead of the next call of a route. */
export interface FakeFeishuFailure {
  /** Feishu's `code` (99991400 rate limit, 99991663 token, 230002 bot not in chat, ...). */
  code: number;
  msg?: string;
  /** The HTTP status. @default 200 (Feishu answers most refusals with 200 and a code; 429 for rate limits, 400 for tokens) */
  status?: number;
  /** Seconds in `x-ogw-ratelimit-reset`. */
  retryAfterSeconds?: number;
  /** Scopes in `error.permission_violations`. */
  missingScopes?: string[];
}

/** A message the bot sent, as the people in the chat see it. */
export interface FakeFeishuSentMessage {
  chatId: string;
  messageId: string;
  /** `text`, `post`, `image`, `file`, `interactive`. */
  msgType: string;
  /** The text as shown (post elements joined, word joiners removed). */
  text: string;
  /** `plain` for a text message, `markdown` for a post. */
  format: 'plain' | 'markdown';
  /** The root message of the thread it was posted in (`reply_in_thread`). */
  threadId?: string;
  /** The message it replies to (a reply not in a thread). */
  replyTo?: string;
  /** The `uuid` it was sent with. */
  uuid?: string;
}

/** What the bot sent, edited, deleted and uploaded. */
export interface FakeFeishuSent {
  messages: FakeFeishuSentMessage[];
  edits: Array<{ chatId: string; messageId: string; text: string; format: 'plain' | 'markdown' }>;
  deletions: Array<{ chatId: string; messageId: string }>;
  files: Array<{ chatId: string; messageId: string; name: string; size: number; caption?: string }>;
}
