import { DWClient, type DWClientDownStream } from 'dingtalk-stream';
import WebSocket from 'ws';
import { postDingTalkJson } from './dingtalk-api';

/** The robot messages topic of Stream mode. */
const robotTopic = '/v1.0/im/bot/messages/get';

/** What the connection reports. */
export interface DingTalkStreamHooks {
  /** Any frame arrived (pings included): the connection is alive. */
  frame(): void;
  /** A CALLBACK frame of the robot topic. */
  callback(frame: DWClientDownStream): void;
  /** DingTalk asked the client to connect again (a SYSTEM `disconnect`). */
  disconnectAsked(): void;
  /** The socket closed. */
  closed(): void;
}

// The SDK keeps its socket and URL private; this is the one place that reaches them.
interface SdkInternals {
  dw_url?: string;
  userDisconnect: boolean;
  socket?: WebSocket;
}

/**
 * dingtalk-stream's `DWClient` with its endpoint lookup at our `gatewayUrl` (the SDK's is hard-coded),
 * answering with a ChannelApiError (401 for refused credentials), and with the SDK's own reconnect
 * and keepalive off: the channel's watchdog and reconnect loop are the single owners of the
 * connection. The socket is opened here too: the SDK's own `_connect` writes to the console on every
 * connection and error, and a library never prints. The SDK still parses frames, answers DingTalk's
 * pings and sends the acks.
 */
export class DingTalkStreamClient extends DWClient {
  readonly #gatewayUrl: string;
  readonly #fetch: typeof fetch;
  readonly #hooks: DingTalkStreamHooks;

  constructor(settings: {
    clientId: string;
    clientSecret: string;
    gatewayUrl: string;
    fetch: typeof fetch;
    hooks: DingTalkStreamHooks;
  }) {
    super({ clientId: settings.clientId, clientSecret: settings.clientSecret, keepAlive: false, debug: false, ua: 'ngb' });
    this.config.autoReconnect = false;
    this.config.subscriptions = [{ type: 'CALLBACK', topic: robotTopic }];
    this.#gatewayUrl = settings.gatewayUrl;
    this.#fetch = settings.fetch;
    this.#hooks = settings.hooks;
  }

  get #internals(): SdkInternals {
    return this as unknown as SdkInternals;
  }

  override async getEndpoint(): Promise<this> {
    const answer = await postDingTalkJson(
      this.#fetch,
      `${this.#gatewayUrl}/v1.0/gateway/connections/open`,
      {
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      },
      'the Stream mode endpoint lookup',
    );
    const { endpoint, ticket } = answer;
    if (typeof endpoint !== 'string' || typeof ticket !== 'string')
      throw new Error('the endpoint lookup answered without endpoint and ticket');
    this.#internals.dw_url = `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
    return this;
  }

  override _connect(): Promise<void> {
    const internals = this.#internals;
    const url = internals.dw_url;
    if (url === undefined) return Promise.reject(new Error('no endpoint: look it up first'));
    internals.userDisconnect = false;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      internals.socket = socket;
      socket.once('open', () => {
        this.connected = true;
        resolve();
      });
      socket.on('message', (data) => this.onDownStream(String(data)));
      socket.on('close', () => {
        this.connected = false;
        this.registered = false;
      });
      // Before `open` this fails the connection; after it, `close` follows and the channel reconnects.
      socket.on('error', (error) => {
        socket.terminate();
        reject(error);
      });
    });
  }

  /** Looks up the endpoint and opens the socket. */
  async open(): Promise<void> {
    await this.getEndpoint();
    await this._connect();
    this.#internals.socket?.on('close', () => this.#hooks.closed());
  }

  /** Closes the socket without a handshake (a deaf peer may never answer one). */
  close(): void {
    this.#internals.userDisconnect = true;
    this.#internals.socket?.terminate();
  }

  override onDownStream(data: string): void {
    this.#hooks.frame();
    try {
      super.onDownStream(data);
    } catch {
      // A frame that is not JSON is dropped; the SDK would throw it out of the socket's handler.
    }
  }

  override onSystem(downstream: DWClientDownStream): void {
    super.onSystem(downstream);
    if (downstream.headers.topic === 'disconnect') this.#hooks.disconnectAsked();
  }

  override onCallback(message: DWClientDownStream): void {
    if (message.headers.topic === robotTopic) this.#hooks.callback(message);
  }

  /** Tells DingTalk the message was taken, so it is not delivered again. */
  ack(messageId: string): void {
    this.socketCallBackResponse(messageId, { status: 'SUCCESS' });
  }
}
