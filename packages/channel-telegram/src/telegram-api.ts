import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ChannelApiError } from '@ngb/plugin-sdk';
import type * as Telegraf from 'telegraf';
import { mapTelegramError } from './map-telegram-error';

/*
 * telegraf's Bot API client (`Telegram`) from its own file: the package's entry point also loads the
 * bot framework around it (`Telegraf`, `Composer`, scenes, sessions, `Markup`, filters), which the
 * adapter does not use, about 0.4 MB of heap kept for the life of the gateway. The file is found beside
 * the package's resolved entry, since its export map offers only the entry point.
 */
const require = createRequire(import.meta.url);
const { Telegram } = require(join(dirname(require.resolve('telegraf')), 'telegram.js')) as Pick<typeof Telegraf, 'Telegram'>;

/** The Bot API as the adapter calls it: every failure comes out as a mapped `ChannelApiError`. */
export interface TelegramApi {
  /**
   * Calls a Bot API method (a payload with `{ source, filename }` values goes as multipart).
   * @throws ChannelApiError from {@link mapTelegramError}
   */
  call<Result>(method: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<Result>;
  /** The download URL of a file `getFile` described (the token is part of it: never log it). */
  fileUrl(filePath: string): URL;
}

/**
 * Builds the Bot API client (telegraf's `Telegram`, without its webhook-reply shortcut, so every call
 * is a real request whose answer is read).
 * @param onUnauthorized called when any call gets 401: the token was revoked while running
 */
export function createTelegramApi(options: {
  token: string;
  apiRoot: string;
  onUnauthorized(error: ChannelApiError): void;
}): TelegramApi {
  const telegram = new Telegram(options.token, { apiRoot: options.apiRoot, webhookReply: false });
  return {
    async call<Result>(method: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<Result> {
      try {
        // telegraf types each method's payload; this one entry point takes them all.
        const call = telegram.callApi.bind(telegram) as (
          name: string,
          body: Record<string, unknown>,
          extra: { signal?: AbortSignal },
        ) => Promise<unknown>;
        return (await call(method, payload, signal === undefined ? {} : { signal })) as Result;
      } catch (error) {
        const mapped = mapTelegramError(error, method);
        if (mapped.status === 401) options.onUnauthorized(mapped);
        throw mapped;
      }
    },
    fileUrl(filePath) {
      const segments = filePath.split('/');
      if (filePath === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
        throw new ChannelApiError('telegram', `[@ngb/channel-telegram] getFile: refused the file path "${filePath}"`, {
          status: 400,
        });
      return new URL(`file/bot${options.token}/${segments.map(encodeURIComponent).join('/')}`, options.apiRoot);
    },
  };
}

/** `message_thread_id` as Telegram documents it (an integer), or the id as it came when it is not one. */
export function threadParameter(threadId: string | undefined): Record<string, unknown> {
  if (threadId === undefined) return {};
  return { message_thread_id: /^\d+$/.test(threadId) ? Number(threadId) : threadId };
}
