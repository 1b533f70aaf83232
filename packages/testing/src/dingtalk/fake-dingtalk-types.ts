import type { FakeDingTalkFrame } from './fake-dingtalk-stream';

/** A robot message as DingTalk's Stream mode delivers it (the `data` of a CALLBACK frame, parsed). */
export interface FakeDingTalkRobotMessage {
  conversationId: string;
  /** `'1'` a 1:1 chat, `'2'` a group. */
  conversationType: '1' | '2';
  conversationTitle?: string;
  msgId: string;
  senderId: string;
  senderStaffId?: string;
  senderNick: string;
  senderCorpId?: string;
  chatbotUserId: string;
  chatbotCorpId?: string;
  robotCode: string;
  isInAtList?: boolean;
  isAdmin?: boolean;
  atUsers?: Array<{ dingtalkId: string; staffId?: string }>;
  msgtype: string;
  text?: { content: string };
  content?: Record<string, unknown>;
  sessionWebhook: string;
  sessionWebhookExpiredTime: number;
  createAt: number;
  [field: string]: unknown;
}

/** A person's message for {@link FakeDingTalkServer.injectMessage}. */
export interface FakeDingTalkInbound {
  /** For a group: its conversation id (`cid…`). Leave out for a 1:1 chat with the sender. */
  groupId?: string;
  /** The sender's staff id (a 1:1 chat's id on the gateway side). */
  senderStaffId: string;
  /** The sender's id for this app (`senderId`). @default `$:LWCP_v1:$sender-<senderStaffId>` */
  senderId?: string;
  senderNick?: string;
  text: string;
  /** Group messages reach the robot only when they @ it. @default true in a group */
  mentionsRobot?: boolean;
  /** A file the person attaches (a `file` message), or a picture (a `picture` message). */
  file?: { name: string; data: Uint8Array; picture?: boolean };
}

/** What the robot sent, as people see it. */
export interface FakeDingTalkSent {
  /** The chat: a group's conversation id, or the user id of a 1:1 chat. */
  chatId: string;
  /** The `processQueryKey` for API sends; `''` for session webhook replies (DingTalk gives none). */
  id: string;
  /** How it was sent. */
  via: 'session-webhook' | 'api';
  /** `markdown`, `text` or `file` (webhook `msgtype`, or API `sampleMarkdown` / `sampleText` / `sampleFile`). */
  format: 'markdown' | 'text' | 'file';
  /** The markdown's `title`, for markdown. */
  title?: string;
  /** The text as written (markdown source for `markdown`; the `fileName` for a file). */
  text: string;
  /** For a file: the uploaded file its `mediaId` names, and the `fileName` and `fileType` sent with it. */
  file?: { upload: FakeDingTalkUpload; fileName: string; fileType: string };
}

/** A file uploaded through the old OpenAPI's `/media/upload`. */
export interface FakeDingTalkUpload {
  /** The `media_id` handed back. */
  mediaId: string;
  /** The `type` query: `file`, `image`, `voice` or `video`. */
  type: string;
  /** The multipart part's filename. */
  name: string;
  /** The bytes, as they arrived. */
  data: Uint8Array;
}

/** An API call the fake answered. */
export interface FakeDingTalkCall {
  path: string;
  body: unknown;
  status: number;
}

/** A failure the next matching call gets. */
export interface FakeDingTalkFailure {
  /** HTTP status (ignored with `errcode`). */
  status: number;
  /** An old-OpenAPI style refusal instead: HTTP 200 with this `errcode` (and `message` as `errmsg`). */
  errcode?: number;
  /** DingTalk's error `code` (`Throttling.Api`, `InvalidAuthentication`, ...). */
  code?: string;
  message?: string;
  /** Only calls whose path contains this fail. @default every API call */
  path?: string;
  /** Seconds in a `Retry-After` header. */
  retryAfter?: number;
}

/** What happened on the stream. */
export interface FakeDingTalkStreamLog {
  /** Endpoint lookups answered (refused ones included). */
  lookups: number;
  /** WebSocket connections opened. */
  connections: number;
  /** `messageId`s of CALLBACK frames acknowledged with code 200, in order. */
  acks: string[];
  /** Ping replies received. */
  pongs: number;
  /** CALLBACK frames delivered again after a reconnect because no ack came. */
  redeliveries: number;
  /** Subscriptions the last lookup asked for. */
  subscriptions: Array<{ type: string; topic: string }>;
}

/** Options of {@link createFakeDingTalkServer}. */
export interface FakeDingTalkServerOptions {
  /** The AppKey. @default 'ding-fake-app' */
  clientId?: string;
  /** The AppSecret. @default 'fake-client-secret' */
  clientSecret?: string;
  /** The robot's code. @default the clientId */
  robotCode?: string;
  /** Lifetime of access tokens, seconds. @default 7200 */
  tokenLifetimeSeconds?: number;
  /** Lifetime of a message's session webhook, ms. @default 3_600_000 (DingTalk: about 1.5 h) */
  sessionLifetimeMs?: number;
}

/** A running fake DingTalk. */
export interface FakeDingTalkServer {
  /** `http://127.0.0.1:<port>`: the API base, the old OpenAPI base, the gateway base and the session webhooks' origin. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly robotCode: string;
  /** The robot's user id in conversations (`chatbotUserId`). */
  readonly chatbotUserId: string;
  /** What the robot sent, in order. */
  readonly sent: FakeDingTalkSent[];
  /** Recalled messages (`processQueryKey`s), in order. */
  readonly recalls: Array<{ chatId: string; id: string }>;
  /** API calls answered, in order. */
  readonly calls: FakeDingTalkCall[];
  /** Access tokens handed out (`/v1.0/oauth2/accessToken`). */
  readonly tokensIssued: number;
  /** Old OpenAPI access tokens handed out (`/gettoken`). */
  readonly oapiTokensIssued: number;
  /** Files uploaded through `/media/upload`, in order, bytes as they arrived. */
  readonly uploads: FakeDingTalkUpload[];
  readonly stream: FakeDingTalkStreamLog;
  /** A person's message, delivered on the stream; returns the robot message it made. */
  injectMessage(input: FakeDingTalkInbound): FakeDingTalkRobotMessage;
  /** Delivers any robot message (a fixture); it stays pending until acknowledged. */
  deliver(data: Record<string, unknown>): FakeDingTalkFrame;
  /** Sends a frame as is. */
  sendFrame(frame: FakeDingTalkFrame): void;
  /** Sends a SYSTEM ping now, or every `intervalMs` (`undefined` stops). */
  ping(): void;
  pingEvery(intervalMs: number | undefined): void;
  /** Sends a SYSTEM `disconnect` frame. */
  sendDisconnect(): void;
  /** Stops sending and answering anything on the stream, sockets kept open. */
  goSilent(): void;
  speak(): void;
  /** Drops every stream connection without a close handshake. */
  dropConnections(): void;
  /** Open stream connections. */
  openConnections(): number;
  /** CALLBACK frames not acknowledged yet. */
  pendingCallbacks(): number;
  /**
   * Makes every access token handed out so far invalid: the new ones get 401 `InvalidAuthentication`,
   * the old OpenAPI's errcode 42001.
   */
  expireTokens(): void;
  /** Makes a session webhook answer as expired. */
  expireSession(url: string): void;
  /** The next matching call fails. */
  failNext(failure: FakeDingTalkFailure): void;
  close(): Promise<void>;
}
