// The shapes the fake Slack records and takes.

/** A person or bot of the fake workspace. */
export interface FakeSlackUser {
  id: string;
  /** The handle (`ann`). */
  name: string;
  /** The display name people see (`Ann Lee`). @default name */
  displayName?: string;
  isBot?: boolean;
}

/** A file in the fake workspace, as `event.files[]` and the files methods show it. */
export interface FakeSlackFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  url_private: string;
  url_private_download: string;
}

/** A Block Kit button of a message, as the bot sent it. */
export interface FakeSlackButton {
  actionId: string;
  value: string;
  /** The label as shown. */
  text: string;
}

/** A message the adapter posted, as the people in the channel see it. */
export interface FakeSlackSentMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** The text as shown (links by label, mentions by name, markup removed, entities decoded). */
  text: string;
  /** The text field as sent. */
  rawText: string;
  /** `plain` when sent with `mrkdwn: false` or as plain_text blocks, else `markdown`. */
  format: 'markdown' | 'plain';
  /** The buttons of its `actions` blocks, in order (none: undefined). */
  buttons?: FakeSlackButton[];
  /** The blocks as sent. */
  blocks?: unknown[];
}

/** A file message the adapter posted. */
export interface FakeSlackSentFile {
  channel: string;
  ts: string;
  threadTs?: string;
  fileId: string;
  name: string;
  size: number;
  caption?: string;
}

/** What the adapter did in the fake workspace. */
export interface FakeSlackSent {
  messages: FakeSlackSentMessage[];
  edits: Array<{
    channel: string;
    ts: string;
    text: string;
    rawText: string;
    format: 'markdown' | 'plain';
    /** The buttons the message holds after the edit (none: undefined). */
    buttons?: FakeSlackButton[];
  }>;
  deletions: Array<{ channel: string; ts: string }>;
  files: FakeSlackSentFile[];
}

/** One Web API call the fake received. */
export interface FakeSlackCall {
  method: string;
  /** Parameters, form fields holding JSON already parsed. */
  params: Record<string, unknown>;
  /** The token it carried (Bearer header or `token` field). */
  token: string | undefined;
  contentType: string;
}

/**
 * How the next call of a method fails: an HTTP status (429 carries `Retry-After`), or Slack's
 * `{ ok: false, error }` with HTTP 200 (`invalid_auth`, `missing_scope` with `needed`, ...).
 */
export interface FakeSlackFailure {
  status?: number;
  retryAfterSeconds?: number;
  error?: string;
  needed?: string;
}

/** An answer of the Web API: status, JSON body and headers. */
export interface FakeSlackAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
