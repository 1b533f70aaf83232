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
  /** `markdown` or `text` (webhook `msgtype`, or API `sampleMarkdown` / `sampleText`). */
  format: 'markdown' | 'text';
  /** The markdown's `title`, for markdown. */
  title?: string;
  /** The text as written (markdown source for `markdown`). */
  text: string;
}

/** An API call the fake answered. */
export interface FakeDingTalkCall {
  path: string;
  body: unknown;
  status: number;
}

/** A failure the next matching call gets. */
export interface FakeDingTalkFailure {
  /** HTTP status. */
  status: number;
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
