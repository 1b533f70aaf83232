/** One OneBot v11 message segment. */
export interface FakeQQSegment {
  type: string;
  data: Record<string, unknown>;
}

/** Options of {@link createFakeQQServer}. */
export interface FakeQQServerOptions {
  /** The access token the implementation is configured with; unset: no token asked. @default 'fake-onebot-token' */
  accessToken?: string | null;
  /** The bot's QQ number. @default 10000 */
  selfId?: number;
  /** The bot's nickname. @default 'ngb-bot' */
  nickname?: string;
  /**
   * Heartbeat meta events every this many ms on a real timer; unset: none on their own (tests call
   * `heartbeat()`). The `interval` the events announce. @default announced 30000, sent never
   */
  heartbeatIntervalMs?: number;
  /** The longest text a message may carry; longer ones fail with retcode 1400. @default 4500 */
  maxTextLength?: number;
}

/** A message as a person sends it, delivered to the bot as a `message` event. */
export interface FakeQQInbound {
  /** `private:<user>` or `group:<group>`. */
  chatId: string;
  /** The sender's QQ number. */
  userId: number;
  nickname?: string;
  /** The group card (nickname in the group). */
  card?: string;
  role?: 'owner' | 'admin' | 'member';
  /** The content: plain text, or segments. */
  message: string | FakeQQSegment[];
  /** Send `message` as a CQ-code string rather than a segment array. @default false */
  asCqString?: boolean;
  /** `message_id` to use. @default the next id */
  messageId?: number;
}

/** A message the bot sent, as people see it. */
export interface FakeQQSentMessage {
  messageId: number;
  chatId: string;
  /** The segments as sent. */
  segments: FakeQQSegment[];
  /** The text as QQ shows it (text segments joined; images as `[image]`). */
  text: string;
  /** The `id` of the reply segment. */
  replyTo?: string;
  /** Images sent inline, decoded. */
  images: Array<{ name?: string; size: number }>;
}

/** A file the bot uploaded with `upload_private_file` / `upload_group_file`. */
export interface FakeQQUpload {
  fileId: string;
  chatId: string;
  name: string;
  size: number;
}

/** One action the fake answered. */
export interface FakeQQAction {
  action: string;
  params: Record<string, unknown>;
  retcode: number;
}

/** A failure the next matching action answers with. */
export interface FakeQQFailure {
  /** Only this action fails. @default any action */
  action?: string;
  retcode: number;
  /** @default 'failed' */
  status?: 'failed' | 'async';
  message?: string;
  wording?: string;
}

/** The fake OneBot v11 implementation. */
export interface FakeQQServer {
  /** The forward WebSocket URL (`ws://127.0.0.1:<port>`), for the adapter's `url`. */
  readonly url: string;
  /** The HTTP base serving hosted files. */
  readonly httpUrl: string;
  /** The access token, or undefined when none is asked. */
  readonly accessToken: string | undefined;
  readonly selfId: number;
  /** Messages the bot sent, in order. */
  readonly sent: FakeQQSentMessage[];
  /** Files the bot uploaded, in order. */
  readonly uploads: FakeQQUpload[];
  /** Messages the bot recalled (`delete_msg`). */
  readonly deletions: Array<{ chatId: string; messageId: number }>;
  /** Every action answered, in order. */
  readonly actions: FakeQQAction[];
  /** Upgrades refused for a missing or wrong token (401 / 403). */
  readonly refusals: number[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Heartbeat meta events sent so far (not counting those swallowed by `goSilent`). */
  readonly heartbeats: number;
  /** Connections open now. */
  openConnections(): number;
  /** Delivers a person's message; resolves with the event sent. */
  injectMessage(input: FakeQQInbound): Record<string, unknown>;
  /** Sends any event as is (a fixture, or the same event again: a redelivery). */
  injectEvent(event: Record<string, unknown>): void;
  /** A `group_recall` or `friend_recall` notice. */
  recall(input: { chatId: string; messageId: number; userId: number; operatorId?: number }): void;
  /** Sends one heartbeat meta event now. */
  heartbeat(): void;
  /** Serves `data` at a URL on this server (what `url` of an image or file segment points to). */
  hostFile(name: string, data: Uint8Array): string;
  /** From now on the upgrade asks for this token (connections already open stay open). */
  rotateAccessToken(token: string): void;
  /** The next matching action fails with this answer. */
  failNext(failure: FakeQQFailure): void;
  /** The next `count` answers are held, then sent together in reverse order. */
  reorderNext(count: number): void;
  /** Holds every answer from now on until the returned function is called, which sends them in order. */
  holdAnswers(): () => void;
  /** The next answer to `action` is never sent. */
  swallowNext(action: string): void;
  /** Stops sending anything (events, heartbeats, answers) while keeping the sockets open. */
  goSilent(): void;
  /** Ends {@link goSilent}. */
  speak(): void;
  /** Terminates every open connection (no close handshake). */
  dropConnections(): void;
  close(): Promise<void>;
}
