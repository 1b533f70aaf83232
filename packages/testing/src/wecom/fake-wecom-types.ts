import type { FakeWeComCallbackFaults, FakeWeComInbound } from './fake-wecom-callback';

/** Options of {@link createFakeWeComServer}. */
export interface FakeWeComServerOptions {
  /** @default 'wwfakecorp0001' */
  corpId?: string;
  /** @default 1000002 */
  agentId?: number;
  /** @default 'fake-app-secret' */
  secret?: string;
  /** The callback Token. @default 'fake-callback-token' */
  token?: string;
  /** The callback EncodingAESKey (43 characters). @default a random one */
  encodingAesKey?: string;
  /** The group robot's webhook key. @default 'fake-robot-key' */
  robotKey?: string;
  /** `expires_in` of each token handed out, seconds. @default 7200 */
  tokenLifetimeSeconds?: number;
  /** People's names by userid, for `/cgi-bin/user/get`. */
  users?: Record<string, string>;
  /** The platform's clock for callbacks (`timestamp`, `CreateTime`). @default Date.now */
  now?: () => number;
}

/** A message the app (or the robot) sent, as people see it. */
export interface FakeWeComSent {
  msgid: string;
  /** `touser` of an app message; `'robot'` for the robot. */
  toUser: string;
  /** `chatid` of a message to a group chat of the application (`/cgi-bin/appchat/send`). */
  chatId?: string;
  msgtype: string;
  /** Text or markdown content; `''` for a file or an image. */
  content: string;
  /** The uploaded media of a file or image message (a robot's base64 image: its decoded bytes, no name or media id). */
  media?: FakeWeComMedia;
  /** True for the group robot's webhook. */
  robot: boolean;
}

/** A file stored on the fake (uploaded by the app, or by a person for an inbound message). */
export interface FakeWeComMedia {
  mediaId: string;
  type: string;
  name: string;
  contentType: string;
  data: Uint8Array;
}

/** A failure of the next call to a path (such as `/cgi-bin/message/send`). */
export type FakeWeComFailure = { errcode: number; errmsg?: string } | { status: number };

/** A running fake WeCom. */
export interface FakeWeComServer {
  /** `http://127.0.0.1:<port>`, the `apiBaseUrl`. */
  readonly url: string;
  readonly corpId: string;
  readonly agentId: number;
  readonly secret: string;
  readonly token: string;
  readonly encodingAesKey: string;
  readonly robotKey: string;
  /** Messages sent, in order (app and robot). */
  readonly sent: FakeWeComSent[];
  /** Recalled message ids, in order. */
  readonly recalls: string[];
  /** Files uploaded, in order: by the app (`/cgi-bin/media/upload`) and by the robot (`/cgi-bin/webhook/upload_media`). */
  readonly uploads: FakeWeComMedia[];
  /** Paths called, in order (`/cgi-bin/gettoken`, ...). */
  readonly calls: string[];
  /** How many tokens were handed out. */
  tokenFetches(): number;
  /** Makes every token handed out so far expired: calls with them get errcode 42001. */
  expireTokens(): void;
  /** Adds a person whose name `/cgi-bin/user/get` gives. */
  addUser(userId: string, name: string): void;
  /** Fails the next call to `path` (the failures queue, one per call). */
  failNext(path: string, failure: FakeWeComFailure): void;
  /** Stores a file a person sends, for an inbound `file`/`image` message's `mediaId`. */
  addMedia(file: { name: string; contentType: string; data: Uint8Array; type?: string }): FakeWeComMedia;
  /** The inner XML of a person's message. */
  messageXml(input: FakeWeComInbound): string;
  /**
   * A callback POST for a message (or any inner XML), encrypted and signed as WeCom does, to
   * `webhookUrl` (the server's `/channels/wecom/webhook`). Build it again for a redelivery: WeCom
   * retries the same message (same `MsgId`).
   */
  callbackRequest(webhookUrl: string, message: FakeWeComInbound | string, faults?: FakeWeComCallbackFaults): Request;
  /** The URL check WeCom makes when the callback URL is saved: a signed GET with an encrypted `echostr`. */
  urlCheckRequest(webhookUrl: string, faults?: FakeWeComCallbackFaults): { request: Request; echo: string };
  close(): Promise<void>;
}
