import { ChannelApiError, readWithinLimit } from '@ngb/plugin-sdk';
import { GraphCallError, type GraphErrorBody, mapWhatsAppError } from './map-whatsapp-error';

/** Settings of {@link createWhatsAppGraphClient}. */
export interface WhatsAppGraphSettings {
  apiBaseUrl: string;
  apiVersion: string;
  accessToken: string;
  requestTimeoutMs: number;
  /** Called with every mapped failure before it is thrown (a refused token stops the channel). */
  onError(error: ChannelApiError): void;
}

/** A media item as `GET /<version>/<media-id>` describes it. */
interface GraphMedia {
  url?: unknown;
  mime_type?: unknown;
  file_size?: unknown;
}

const prefix = '[@ngb/channel-whatsapp]';

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The Graph API calls of the Cloud mode, with the bearer token, a time limit and one error mapping.
 * No retries here: the core's outbox retries what `mapWhatsAppError` calls retryable.
 */
export function createWhatsAppGraphClient(settings: WhatsAppGraphSettings) {
  const base = `${settings.apiBaseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;
  const authorization = { authorization: `Bearer ${settings.accessToken}` };

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const mapped = mapWhatsAppError(error);
      settings.onError(mapped);
      throw mapped;
    }
  }

  async function request(url: string, init: RequestInit): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      headers: { ...authorization, ...(init.headers as Record<string, string> | undefined) },
      signal: init.signal ?? AbortSignal.timeout(settings.requestTimeoutMs),
    });
    if (!response.ok) {
      const body = (await readJson(response)) as GraphErrorBody | undefined;
      throw new GraphCallError(response.status, body, response.headers.get('retry-after'));
    }
    return response;
  }

  const json = (path: string, init: RequestInit = {}) =>
    call(async () => (await readJson(await request(`${base}/${path}`, init))) as Record<string, unknown> | undefined);

  return {
    /** `GET /<phone-number-id>`: the business number (checks the token too). */
    phoneNumber: (phoneNumberId: string) =>
      json(`${encodeURIComponent(phoneNumberId)}?fields=display_phone_number,verified_name`),
    /**
     * `POST /<phone-number-id>/messages`.
     * @returns the `wamid` of the message
     */
    async sendMessage(phoneNumberId: string, message: Record<string, unknown>): Promise<string> {
      const body = await json(`${encodeURIComponent(phoneNumberId)}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...message }),
      });
      const id = (body?.messages as Array<{ id?: unknown }> | undefined)?.[0]?.id;
      if (typeof id !== 'string' || id === '') {
        throw new ChannelApiError('whatsapp', `${prefix} WhatsApp answered a send without a message id`, { status: 502 });
      }
      return id;
    },
    /**
     * `POST /<phone-number-id>/media` (multipart).
     * @returns the media id
     */
    async uploadMedia(phoneNumberId: string, file: { name: string; data: Uint8Array; mimeType: string }): Promise<string> {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.mimeType);
      form.set('file', new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.name);
      const body = await json(`${encodeURIComponent(phoneNumberId)}/media`, { method: 'POST', body: form });
      if (typeof body?.id !== 'string') {
        throw new ChannelApiError('whatsapp', `${prefix} WhatsApp answered an upload without a media id`, { status: 502 });
      }
      return body.id;
    },
    /**
     * Downloads a media item: `GET /<media-id>` for its URL and size, then the URL with the token.
     * @throws ChannelApiError 413 when the announced or the read size passes `maxBytes`
     */
    async downloadMedia(mediaId: string, maxBytes: number, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
      const media = (await json(encodeURIComponent(mediaId), signal ? { signal } : {})) as GraphMedia | undefined;
      const tooLarge = (size: number) =>
        new ChannelApiError('whatsapp', `${prefix} the attachment has ${size} bytes, more than the ${maxBytes} allowed`, {
          status: 413,
        });
      if (typeof media?.file_size === 'number' && media.file_size > maxBytes) throw tooLarge(media.file_size);
      if (typeof media?.url !== 'string' || !/^https?:\/\//.test(media.url)) {
        throw new ChannelApiError('whatsapp', `${prefix} WhatsApp gave no download URL for media ${mediaId}`, { status: 502 });
      }
      const url = media.url;
      const response = await call(() => request(url, signal ? { signal } : {}));
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw tooLarge(declared);
      }
      if (!response.body) return (async function* () {})();
      return readWithinLimit(response.body, maxBytes, tooLarge);
    },
  };
}
