import {
  type ChannelAdapter,
  type ChannelContext,
  type ChannelIdentity,
  createConnectionSupervisor,
  type DeleteCapability,
  type FetchFilesCapability,
  type FilesCapability,
  parseOptions,
  systemClock,
} from '@ngb/plugin-sdk';
import type { DWClientDownStream } from 'dingtalk-stream';
import { createDingTalkApi } from './dingtalk-api';
import { createDingTalkOapi } from './dingtalk-oapi';
import { type DingTalkChannelOptions, dingTalkChannelOptionsSchema } from './dingtalk-options';
import { createDingTalkOutbound } from './dingtalk-outbound';
import { DingTalkStreamClient } from './dingtalk-stream-client';
import { fetchDingTalkAttachment } from './fetch-dingtalk-attachment';
import { mapDingTalkError } from './map-dingtalk-error';
import { normalizeDingTalkMessage } from './normalize-dingtalk-message';

/** The DingTalk adapter with its capabilities. */
export type DingTalkChannel = ChannelAdapter & DeleteCapability & FilesCapability & FetchFilesCapability;

const prefix = '[@ngb/channel-dingtalk]';

/**
 * The DingTalk channel: a robot of an app in Stream mode. Inbound robot messages arrive on the
 * dingtalk-stream socket and are acknowledged only once `receive` resolved (DingTalk delivers an
 * unacknowledged one again). Replies go through the message's session webhook while it is valid,
 * else through the robot send API; files are uploaded to the old OpenAPI and sent through the send API.
 * Addresses: a group's `chatId` is its conversation id (`cid…`),
 * a 1:1 chat's is the person's user id.
 * @throws ConfigError naming the option when `options` are invalid
 */
export function createDingTalkChannel(input: DingTalkChannelOptions): DingTalkChannel {
  const options = parseOptions(dingTalkChannelOptionsSchema, input, prefix);
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const robotCode = options.robotCode ?? options.clientId;
  const api = createDingTalkApi({ ...options, fetch: fetchImpl, clock });
  const oapi = createDingTalkOapi({ ...options, fetch: fetchImpl, clock });
  const outbound = createDingTalkOutbound({
    api,
    oapi,
    robotCode,
    sessionWebhookOrigins: options.sessionWebhookOrigins,
    fetch: fetchImpl,
    clock,
  });
  let client: DingTalkStreamClient | undefined;
  let self: ChannelIdentity | undefined;
  let inbound: Promise<void> = Promise.resolve();
  /** Lets the current connection go, without waiting for its close. */
  function closeClient(): void {
    const old = client;
    client = undefined;
    old?.close();
  }
  const supervisor = createConnectionSupervisor({
    clock,
    channel: 'dingtalk',
    prefix,
    connect,
    disconnect: closeClient,
    mapError: mapDingTalkError,
    watchdog: {
      timeoutMs: options.watchdogMs,
      deafDetail: (quietMs) => `no frame or ping from DingTalk for ${Math.round(quietMs / 1000)} s`,
    },
    // At once after a connection that lasted; growing waits while connections drop right after opening.
    firstRetryMs: 0,
  });
  const context = (): ChannelContext | undefined => supervisor.context();
  const logger = () => context()?.logger ?? options.logger;

  async function handle(owner: DingTalkStreamClient, frame: DWClientDownStream): Promise<void> {
    const receiving = context();
    if (!supervisor.running() || owner !== client || !receiving) return;
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      data = undefined;
    }
    const normalized = normalizeDingTalkMessage(data, () => clock.now());
    if (normalized) {
      outbound.learn(normalized.message.chat.id, normalized.route);
      await receiving.receive(normalized.message);
    } else {
      logger()?.warn(`${prefix} a robot message it cannot read was acknowledged and dropped`, {
        messageId: frame.headers.messageId,
      });
    }
    // Acknowledged only now: a message receive could not store is delivered again by DingTalk.
    owner.ack(frame.headers.messageId);
  }

  function createClient(): DingTalkStreamClient {
    const next: DingTalkStreamClient = new DingTalkStreamClient({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      gatewayUrl: options.gatewayUrl ?? options.apiBaseUrl,
      fetch: fetchImpl,
      hooks: {
        frame: () => {
          if (next === client) supervisor.alive();
        },
        callback: (frame) => {
          inbound = inbound
            .then(() => handle(next, frame))
            .catch((error: unknown) =>
              logger()?.error(`${prefix} an inbound message was not stored; DingTalk will deliver it again`, {
                error: String(error),
              }),
            );
        },
        disconnectAsked: () => {
          if (next === client) supervisor.reconnect();
        },
        closed: () => {
          if (next === client) supervisor.dropped('the stream connection closed; connecting again');
        },
      },
    });
    return next;
  }

  async function connect(): Promise<void> {
    const next = createClient();
    client = next;
    try {
      await next.open();
      self = { id: robotCode, name: robotCode };
    } catch (error) {
      if (client === next) client = undefined;
      next.close();
      throw mapDingTalkError(error);
    }
  }

  return {
    specificationVersion: 1,
    name: 'dingtalk',
    limits: { maxMessageLength: options.maxMessageLength },
    get self() {
      return self;
    },
    start: (startContext) => supervisor.start(startContext),
    async stop() {
      supervisor.stop();
      closeClient();
      await inbound;
    },
    send: (address, message) => outbound.send(address, message),
    sendFile: (address, file) => outbound.sendFile(address, file),
    delete: (address, platformMessageId) => outbound.delete(address, platformMessageId),
    fetchAttachment: (attachment, fetchOptions) =>
      fetchDingTalkAttachment(attachment, fetchOptions, { api, robotCode, fetch: fetchImpl }),
  };
}
