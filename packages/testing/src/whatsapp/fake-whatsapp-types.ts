/** A message the business number sent, as the fake recorded it. */
export interface FakeWhatsAppSent {
  /** The `wamid` the fake answered with. */
  id: string;
  /** The recipient's WhatsApp id. */
  to: string;
  /** `text`, `image` or `document`. */
  type: string;
  /** The text as people see it (markup markers and word joiners removed); a media caption for files. */
  text: string;
  /** The text body exactly as sent. */
  body: string;
  /** Styled spans WhatsApp would show. */
  styles: Array<{ style: string; text: string }>;
  /** `context.message_id`: the message it replies to. */
  replyTo?: string;
  /** For files: the uploaded media it sends. */
  media?: { id: string; filename?: string; size: number; mimeType: string };
}

/** A Graph API call, as the fake received it. */
export interface FakeWhatsAppCall {
  method: string;
  path: string;
  authorized: boolean;
}

/** A failure the fake answers the next matching Graph call with. */
export interface FakeWhatsAppFailure {
  /** HTTP status. @default 400 */
  status?: number;
  /** Graph `error.code` (131047 re-engagement, 130429 throughput, 80007 rate, 190 token, ...). */
  code: number;
  /** Graph `error.error_subcode`. */
  subcode?: number;
  /** Graph `error.message`. */
  message?: string;
  /** A `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
  /** Only calls whose path ends with this (`/messages`, `/media`). @default any call */
  pathEndsWith?: string;
}

/** One webhook delivery: what was posted and what the gateway answered, attempt by attempt. */
export interface FakeWhatsAppDelivery {
  /** The message's `wamid`. */
  id: string;
  /** The exact body posted (signed). */
  body: string;
  /** HTTP status of each attempt, in order. */
  statuses: number[];
}
