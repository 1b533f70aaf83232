import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const channel = 'whatsapp';
const prefix = '[@ngb/channel-whatsapp]';

/** The Graph API's error body: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
export interface GraphErrorBody {
  error?: { message?: unknown; code?: unknown; error_subcode?: unknown; error_data?: { details?: unknown } };
}

/** A Graph API call answered with an error status (thrown by the Graph client, read here). */
export class GraphCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: GraphErrorBody | undefined,
    readonly retryAfter: string | null,
  ) {
    super(`${prefix} Graph API answered HTTP ${status}`);
    this.name = 'GraphCallError';
  }
}

/** Meta's rate-limit codes: 4 (app), 80007 (WhatsApp Business Account), 130429 (throughput), 131056 (pair rate). */
const rateLimits = new Set([4, 80007, 130429, 131056]);
/** Codes of a passing failure on Meta's side. */
const transient = new Set([1, 2, 131000, 131016, 133004]);

function retryAfterMs(header: string | null): number | undefined {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

function fromGraph(error: GraphCallError): ChannelApiError {
  const code = typeof error.body?.error?.code === 'number' ? error.body.error.code : undefined;
  const details = error.body?.error?.error_data?.details;
  const said = [error.body?.error?.message, details].filter((part) => typeof part === 'string' && part !== '').join(': ');
  const what = `${code === undefined ? `HTTP ${error.status}` : `code ${code}`}${said === '' ? '' : ` (${said.slice(0, 300)})`}`;
  if (code === 131047 || /re-engagement/i.test(said)) {
    return new ChannelApiError(
      channel,
      `${prefix} more than 24 hours passed since this person last wrote: WhatsApp now accepts only an approved message template, and ngb does not send templates; the person must write first (${what})`,
      { status: 400, retryable: false, cause: error },
    );
  }
  if (code !== undefined && rateLimits.has(code)) {
    return new ChannelApiError(channel, `${prefix} rate limited by WhatsApp (${what})`, {
      status: 429,
      retryAfterMs: retryAfterMs(error.retryAfter),
      cause: error,
    });
  }
  if (code === 190 || error.status === 401) {
    return new ChannelApiError(
      channel,
      `${prefix} access token refused by WhatsApp (${what}): set WHATSAPP_ACCESS_TOKEN to a valid permanent token`,
      { status: 401, cause: error },
    );
  }
  if (code === 10 || code === 200 || code === 3 || (code !== undefined && code >= 200 && code <= 299) || error.status === 403) {
    return new ChannelApiError(
      channel,
      `${prefix} permission refused by WhatsApp (${what}): give the token whatsapp_business_messaging and whatsapp_business_management`,
      { status: 403, cause: error },
    );
  }
  if ((code !== undefined && transient.has(code)) || error.status >= 500) {
    return new ChannelApiError(channel, `${prefix} WhatsApp failed (${what})`, {
      status: error.status >= 500 ? error.status : 503,
      cause: error,
    });
  }
  if (error.status === 429) {
    return new ChannelApiError(channel, `${prefix} rate limited by WhatsApp (${what})`, {
      status: 429,
      retryAfterMs: retryAfterMs(error.retryAfter),
      cause: error,
    });
  }
  if (error.status === 404 || code === 100) {
    const status = error.status === 404 ? 404 : 400;
    return new ChannelApiError(channel, `${prefix} WhatsApp refused the call (${what})`, { status, cause: error });
  }
  return new ChannelApiError(channel, `${prefix} WhatsApp refused the call (${what})`, {
    status: error.status >= 400 && error.status < 500 ? error.status : 400,
    cause: error,
  });
}

/**
 * Turns any failure of a Graph API call into one `ChannelApiError`: outside the 24-hour window
 * (131047, "re-engagement") a non-retryable error saying only a template could be sent now; rate
 * limits (4, 80007, 130429, 131056, HTTP 429) retryable with `retryAfterMs`; 5xx, Meta's transient codes
 * and network failures retryable; a refused token (190, HTTP 401) 401 and a missing permission 403,
 * neither retryable; every other 4xx not retried.
 */
export function mapWhatsAppError(error: unknown): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  if (error instanceof GraphCallError) return fromGraph(error);
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new ChannelApiError(channel, `${prefix} WhatsApp did not answer in time`, { retryable: true, cause: error });
  }
  return new ChannelApiError(channel, `${prefix} WhatsApp could not be reached: ${errorMessage(error)}`, {
    retryable: true,
    cause: error,
  });
}
