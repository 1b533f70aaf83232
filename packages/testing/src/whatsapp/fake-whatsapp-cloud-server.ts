// A fake WhatsApp Cloud API for tests, on 127.0.0.1: the Graph API endpoints a bot uses (the phone
// number, `POST /<version>/<phone-number-id>/messages`, multipart media upload, media lookup and download
// with the bearer token), Graph-shaped errors (`{ error: { message, code, error_subcode } }`) on demand,
// and the other side of the webhook: signed (`X-Hub-Signature-256`) deliveries of people's messages to a
// URL, retried while the answer is not 2xx and redelivered on demand, like Meta does.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, readForm } from '../http/request-body';
import { renderWhatsAppText } from './fake-whatsapp-markup';
import type { FakeWhatsAppCall, FakeWhatsAppDelivery, FakeWhatsAppFailure, FakeWhatsAppSent } from './fake-whatsapp-types';
import { type FakeWhatsAppInbound, newWamid, whatsAppMessagePayload, whatsAppSignature } from './fake-whatsapp-webhook';

/** Options of {@link createFakeWhatsAppCloudServer}. */
export interface FakeWhatsAppCloudServerOptions {
  /** @default 'fake-whatsapp-access-token' */
  accessToken?: string;
  /** @default 'fake-whatsapp-app-secret' */
  appSecret?: string;
  /** @default 'fake-whatsapp-verify-token' */
  verifyToken?: string;
  /** @default '106540352242922' */
  phoneNumberId?: string;
  /** @default '15550783881' */
  displayPhoneNumber?: string;
  /** @default 'v23.0' */
  apiVersion?: string;
  /** Attempts of one webhook delivery while the answer is not 2xx. @default 3 */
  deliveryAttempts?: number;
}

/** A running fake Cloud API. */
export interface FakeWhatsAppCloudServer {
  /** `http://127.0.0.1:<port>`: the `apiBaseUrl` option. */
  readonly url: string;
  readonly apiVersion: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  /** What the business number sent, in order. */
  readonly sent: readonly FakeWhatsAppSent[];
  /** Every Graph API call, in order. */
  readonly calls: readonly FakeWhatsAppCall[];
  /** Webhook deliveries made with `deliver`, in order. */
  readonly deliveries: readonly FakeWhatsAppDelivery[];
  /** Adds a media item people can send (`FakeWhatsAppInbound.media`); returns its media id. */
  addMedia(media: { data: Uint8Array; mimeType: string }): string;
  /** Answers the next matching Graph call with a Graph error. */
  failNext(failure: FakeWhatsAppFailure): void;
  /** Sends to this WhatsApp id fail with 131047 (more than 24 hours since they last wrote) from now on. */
  closeWindow(waId: string): void;
  /** The signed webhook request for a message (`signed: false` signs with a wrong secret). */
  webhookRequest(url: string, input: FakeWhatsAppInbound, options?: { signed?: boolean }): { id: string; request: Request };
  /** Posts a message as a webhook to `url`, retrying while the answer is not 2xx. */
  deliver(url: string, input: FakeWhatsAppInbound): Promise<FakeWhatsAppDelivery>;
  /** Posts a delivery again, exactly as before (Meta's redelivery), once. @returns the status */
  redeliver(url: string, delivery: FakeWhatsAppDelivery): Promise<number>;
  close(): Promise<void>;
}

const graphError = (code: number, message: string, subcode?: number) => ({
  error: {
    message,
    type: code === 190 ? 'OAuthException' : 'GraphMethodException',
    code,
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: randomBytes(8).toString('base64url'),
  },
});

function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { ...headers, 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Starts a fake WhatsApp Cloud API on 127.0.0.1 (a free port). */
export async function createFakeWhatsAppCloudServer(
  options: FakeWhatsAppCloudServerOptions = {},
): Promise<FakeWhatsAppCloudServer> {
  const accessToken = options.accessToken ?? 'fake-whatsapp-access-token';
  const appSecret = options.appSecret ?? 'fake-whatsapp-app-secret';
  const verifyToken = options.verifyToken ?? 'fake-whatsapp-verify-token';
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  const displayPhoneNumber = options.displayPhoneNumber ?? '15550783881';
  const apiVersion = options.apiVersion ?? 'v23.0';
  const business = { wabaId: '102290129340398', phoneNumberId, displayPhoneNumber };
  const sent: FakeWhatsAppSent[] = [];
  const calls: FakeWhatsAppCall[] = [];
  const deliveries: FakeWhatsAppDelivery[] = [];
  const media = new Map<string, { data: Uint8Array; mimeType: string; filename?: string }>();
  const failures: FakeWhatsAppFailure[] = [];
  const closedWindows = new Set<string>();
  let url = '';

  const addMedia = (item: { data: Uint8Array; mimeType: string; filename?: string }) => {
    const id = String(1_000_000_000_000 + media.size + Math.floor(Math.random() * 1_000_000));
    media.set(id, item);
    return id;
  };

  async function messages(request: IncomingMessage, response: ServerResponse) {
    const raw = (await readBody(request)).toString('utf8');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return writeJson(response, 400, graphError(100, 'Invalid parameter: the body is not JSON'));
    }
    const to = typeof body.to === 'string' ? body.to : '';
    if (body.messaging_product !== 'whatsapp' || to === '') {
      return writeJson(response, 400, graphError(100, '(#100) Invalid parameter'));
    }
    if (closedWindows.has(to)) {
      return writeJson(response, 400, graphError(131047, 'Re-engagement message', 2494010));
    }
    const id = newWamid();
    const context = body.context as { message_id?: unknown } | undefined;
    const replyTo = typeof context?.message_id === 'string' ? context.message_id : undefined;
    const type = String(body.type ?? 'text');
    if (type === 'text') {
      const text = body.text as { body?: unknown } | undefined;
      const textBody = typeof text?.body === 'string' ? text.body : '';
      if (textBody.length > 4096)
        return writeJson(response, 400, graphError(100, "(#100) Param text['body'] must be at most 4096 characters long."));
      const rendered = renderWhatsAppText(textBody);
      sent.push({ id, to, type, text: rendered.text, body: textBody, styles: rendered.styles, ...(replyTo ? { replyTo } : {}) });
    } else if (type === 'image' || type === 'document') {
      const item = body[type] as { id?: unknown; caption?: unknown; filename?: unknown } | undefined;
      const stored = typeof item?.id === 'string' ? media.get(item.id) : undefined;
      if (!stored || typeof item?.id !== 'string') return writeJson(response, 400, graphError(131053, 'Media upload error'));
      const caption = typeof item.caption === 'string' ? item.caption : '';
      const filename = typeof item.filename === 'string' ? item.filename : stored.filename;
      sent.push({
        id,
        to,
        type,
        text: renderWhatsAppText(caption).text,
        body: caption,
        styles: [],
        media: { id: item.id, size: stored.data.length, mimeType: stored.mimeType, ...(filename ? { filename } : {}) },
        ...(replyTo ? { replyTo } : {}),
      });
    } else return writeJson(response, 400, graphError(100, `(#100) type ${type} is not supported by the fake`));
    writeJson(response, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
  }

  async function upload(request: IncomingMessage, response: ServerResponse) {
    const form = await readForm(await readBody(request), request.headers['content-type'] ?? '');
    const file = form.get('file');
    if (form.get('messaging_product') !== 'whatsapp' || !(file instanceof File)) {
      return writeJson(response, 400, graphError(100, '(#100) messaging_product and file are required'));
    }
    const id = addMedia({ data: new Uint8Array(await file.arrayBuffer()), mimeType: file.type, filename: file.name });
    writeJson(response, 200, { id });
  }

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const authorized = request.headers.authorization === `Bearer ${accessToken}`;
      calls.push({ method: request.method ?? 'GET', path, authorized });
      if (!authorized) return writeJson(response, 401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
      const failure = failures.findIndex((candidate) => path.endsWith(candidate.pathEndsWith ?? ''));
      if (failure !== -1) {
        const [next] = failures.splice(failure, 1);
        if (next) {
          return writeJson(
            response,
            next.status ?? 400,
            graphError(next.code, next.message ?? `fake failure ${next.code}`, next.subcode),
            next.retryAfterSeconds === undefined ? {} : { 'retry-after': String(next.retryAfterSeconds) },
          );
        }
      }
      const download = /^\/media-download\/(\d+)$/.exec(path);
      if (download && request.method === 'GET') {
        const item = media.get(download[1] ?? '');
        if (!item) return writeJson(response, 404, graphError(100, 'Unsupported get request'));
        response.writeHead(200, { 'content-type': item.mimeType, 'content-length': String(item.data.length) });
        return response.end(item.data);
      }
      const [, version, first, second] = path.split('/');
      if (version !== apiVersion) return writeJson(response, 400, graphError(2635, `the fake serves ${apiVersion} only`));
      if (first === phoneNumberId && second === 'messages' && request.method === 'POST') return messages(request, response);
      if (first === phoneNumberId && second === 'media' && request.method === 'POST') return upload(request, response);
      if (first === phoneNumberId && second === undefined && request.method === 'GET') {
        return writeJson(response, 200, {
          verified_name: 'Test number',
          display_phone_number: `+${displayPhoneNumber.slice(0, 1)} ${displayPhoneNumber.slice(1, 4)}-${displayPhoneNumber.slice(4, 7)}-${displayPhoneNumber.slice(7)}`,
          id: phoneNumberId,
        });
      }
      if (first !== undefined && second === undefined && request.method === 'GET' && media.has(first)) {
        const item = media.get(first);
        return writeJson(response, 200, {
          messaging_product: 'whatsapp',
          url: `${url}/media-download/${first}`,
          mime_type: item?.mimeType,
          sha256: 'fake',
          file_size: item?.data.length,
          id: first,
        });
      }
      writeJson(response, 400, graphError(100, `Unsupported ${request.method} request to ${path}`));
    })().catch((error: unknown) => {
      if (!response.headersSent) writeJson(response, 500, graphError(1, String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signedRequest = (target: string, body: string, signed: boolean) =>
    new Request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': whatsAppSignature(signed ? appSecret : `${appSecret}-wrong`, body),
      },
      body,
    });
  const post = async (target: string, body: string) => {
    const response = await fetch(signedRequest(target, body, true));
    await response.body?.cancel();
    return response.status;
  };

  return {
    url,
    apiVersion,
    accessToken,
    appSecret,
    verifyToken,
    phoneNumberId,
    displayPhoneNumber,
    sent,
    calls,
    deliveries,
    addMedia,
    failNext: (failure) => void failures.push(failure),
    closeWindow: (waId) => void closedWindows.add(waId),
    webhookRequest(target, input, requestOptions = {}) {
      const id = input.id ?? newWamid();
      const body = JSON.stringify(whatsAppMessagePayload(business, { ...input, id }));
      return { id, request: signedRequest(target, body, requestOptions.signed ?? true) };
    },
    async deliver(target, input) {
      const id = input.id ?? newWamid();
      const delivery: FakeWhatsAppDelivery = {
        id,
        body: JSON.stringify(whatsAppMessagePayload(business, { ...input, id })),
        statuses: [],
      };
      deliveries.push(delivery);
      for (let attempt = 0; attempt < (options.deliveryAttempts ?? 3); attempt += 1) {
        const status = await post(target, delivery.body);
        delivery.statuses.push(status);
        if (status >= 200 && status < 300) break;
      }
      return delivery;
    },
    async redeliver(target, delivery) {
      const status = await post(target, delivery.body);
      delivery.statuses.push(status);
      return status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
