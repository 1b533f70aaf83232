import { buttonsOfBlocks } from './fake-slack-buttons';
import { escapeSlackText, visibleSlackText } from './fake-slack-text';
import type {
  FakeSlackAnswer,
  FakeSlackButton,
  FakeSlackCall,
  FakeSlackFailure,
  FakeSlackFile,
  FakeSlackSent,
  FakeSlackSentMessage,
  FakeSlackUser,
} from './fake-slack-types';

interface WebApiSetup {
  botToken: string;
  appToken: string;
  teamId: string;
  botUserId: string;
  botId: string;
  botName: string;
  users: Map<string, FakeSlackUser>;
  channelNames: Map<string, string>;
  files: Map<string, FakeSlackFile & { data: Uint8Array }>;
  baseUrl: () => string;
  nextTs: () => string;
  newSocketTicket: () => string;
}

const ok = (body: Record<string, unknown> = {}): FakeSlackAnswer => ({ status: 200, body: { ok: true, ...body } });
const refuse = (error: string, extra: Record<string, unknown> = {}): FakeSlackAnswer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

// Text is in section blocks; `actions` blocks hold buttons, `context` blocks small print.
const sections = (blocks: unknown): unknown[] =>
  Array.isArray(blocks) ? blocks.filter((block) => (block as { type?: unknown })?.type === 'section') : [];

const plainBlocks = (blocks: unknown): boolean =>
  sections(blocks).length > 0 &&
  sections(blocks).every((block) => (block as { text?: { type?: string } })?.text?.type === 'plain_text');

const blocksText = (blocks: unknown[]): string =>
  sections(blocks)
    .map((block) => String((block as { text?: { text?: unknown } }).text?.text ?? ''))
    .join('');

function buttonFields(blocks: unknown): { buttons?: FakeSlackButton[]; blocks?: unknown[] } {
  if (!Array.isArray(blocks)) return {};
  const buttons = buttonsOfBlocks(blocks);
  return { blocks, ...(buttons ? { buttons } : {}) };
}

/** The fake's Web API methods: the state they change and what they recorded. */
export function createFakeSlackWebApi(setup: WebApiSetup) {
  const calls: FakeSlackCall[] = [];
  const sent: FakeSlackSent = { messages: [], edits: [], deletions: [], files: [] };
  const failures = new Map<string, FakeSlackFailure[]>();
  const rejectedMarkup: string[] = [];
  const pendingUploads = new Map<string, { name: string; length: number }>();
  // The blocks each message holds now (`chat.update` replaces them), by `channel:ts`.
  const liveBlocks = new Map<string, unknown[]>();
  let fileCounter = 0;

  const nameOf = (id: string) => setup.users.get(id)?.displayName ?? setup.users.get(id)?.name;
  const visible = (text: string, mrkdwn: boolean) => visibleSlackText(text, mrkdwn, nameOf);
  const userJson = (user: FakeSlackUser) => ({
    id: user.id,
    team_id: setup.teamId,
    name: user.name,
    real_name: user.displayName ?? user.name,
    is_bot: user.isBot === true,
    deleted: false,
    profile: { display_name: user.displayName ?? user.name, real_name: user.displayName ?? user.name },
  });
  const markupRejected = (text: string) => rejectedMarkup.some((marker) => text.includes(marker));

  function failure(method: string): FakeSlackAnswer | undefined {
    const queue = failures.get(method);
    const next = queue?.shift();
    if (!next) return undefined;
    if (next.status === 429) {
      const retryAfter = String(next.retryAfterSeconds ?? 1);
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': retryAfter } };
    }
    if (next.status !== undefined) return { status: next.status, body: { ok: false, error: 'fatal_error' } };
    return refuse(next.error ?? 'fatal_error', next.needed ? { needed: next.needed, provided: 'chat:write' } : {});
  }

  const methods: Record<string, (params: Record<string, unknown>) => FakeSlackAnswer> = {
    'auth.test': () =>
      ok({
        url: 'https://fake-workspace.slack.com/',
        team: 'Fake Workspace',
        user: setup.botName,
        team_id: setup.teamId,
        user_id: setup.botUserId,
        bot_id: setup.botId,
        is_enterprise_install: false,
      }),
    'users.info': (params) => {
      const user = setup.users.get(String(params.user));
      return user ? ok({ user: userJson(user) }) : refuse('user_not_found');
    },
    'conversations.info': (params) => {
      const id = String(params.channel);
      const name = setup.channelNames.get(id);
      if (id.startsWith('D')) return ok({ channel: { id, is_im: true, is_channel: false, user: name } });
      return ok({ channel: { id, name: name ?? id.toLowerCase(), is_im: false, is_channel: true, is_private: false } });
    },
    'chat.postMessage': (params) => {
      const text = String(params.text ?? '');
      const plain = params.mrkdwn === false || params.mrkdwn === 'false' || plainBlocks(params.blocks);
      if (!plain && markupRejected(text)) return refuse('invalid_blocks');
      const ts = setup.nextTs();
      const threadTs = typeof params.thread_ts === 'string' && params.thread_ts !== '' ? params.thread_ts : undefined;
      const channel = String(params.channel);
      sent.messages.push({
        channel,
        ts,
        ...(threadTs ? { threadTs } : {}),
        text: plainBlocks(params.blocks) ? blocksText(params.blocks as unknown[]) : visible(text, !plain),
        rawText: text,
        format: plain ? 'plain' : 'markdown',
        ...buttonFields(params.blocks),
      });
      if (Array.isArray(params.blocks)) liveBlocks.set(`${channel}:${ts}`, params.blocks);
      return ok({ channel, ts, message: { type: 'message', text, user: setup.botUserId, bot_id: setup.botId, ts } });
    },
    'chat.update': (params) => {
      const text = String(params.text ?? '');
      const plain = plainBlocks(params.blocks);
      if (!plain && markupRejected(text)) return refuse('invalid_blocks');
      const channel = String(params.channel);
      const ts = String(params.ts);
      if (!sent.messages.some((message) => message.channel === channel && message.ts === ts)) return refuse('message_not_found');
      sent.edits.push({
        channel,
        ts,
        text: plain ? blocksText(params.blocks as unknown[]) : visible(text, true),
        rawText: text,
        format: plain ? 'plain' : 'markdown',
        ...(buttonsOfBlocks(params.blocks) ? { buttons: buttonsOfBlocks(params.blocks) } : {}),
      });
      if (Array.isArray(params.blocks)) liveBlocks.set(`${channel}:${ts}`, params.blocks);
      return ok({ channel, ts, text });
    },
    'chat.delete': (params) => {
      const channel = String(params.channel);
      const ts = String(params.ts);
      if (!sent.messages.some((message) => message.channel === channel && message.ts === ts)) return refuse('message_not_found');
      sent.deletions.push({ channel, ts });
      return ok({ channel, ts });
    },
    'files.getUploadURLExternal': (params) => {
      fileCounter += 1;
      const fileId = `F${String(fileCounter).padStart(8, '0')}`;
      pendingUploads.set(fileId, { name: String(params.filename), length: Number(params.length) });
      return ok({ upload_url: `${setup.baseUrl()}/upload/v1/${fileId}`, file_id: fileId });
    },
    'files.completeUploadExternal': (params) => {
      const entries = Array.isArray(params.files) ? (params.files as Array<{ id?: unknown; title?: unknown }>) : [];
      const channel = typeof params.channel_id === 'string' ? params.channel_id : undefined;
      const threadTs = typeof params.thread_ts === 'string' && params.thread_ts !== '' ? params.thread_ts : undefined;
      const caption = typeof params.initial_comment === 'string' ? params.initial_comment : undefined;
      const completed: unknown[] = [];
      for (const entry of entries) {
        const file = setup.files.get(String(entry.id));
        if (!file) return refuse('file_not_found');
        const ts = setup.nextTs();
        if (channel) {
          sent.files.push({
            channel,
            ts,
            ...(threadTs ? { threadTs } : {}),
            fileId: file.id,
            name: file.name,
            size: file.size,
            ...(caption !== undefined ? { caption: visible(caption, false) } : {}),
          });
        }
        const { data: _data, ...metadata } = file;
        const share = [{ ts, ...(threadTs ? { thread_ts: threadTs } : {}) }];
        completed.push({
          ...metadata,
          title: String(entry.title ?? file.title),
          shares: channel ? { public: { [channel]: share } } : {},
        });
      }
      return ok({ files: completed });
    },
  };

  return {
    calls,
    sent,
    /** The message `channel:ts` as it is now: its blocks after the last `chat.update` that set some. */
    current(channel: string, ts: string): FakeSlackSentMessage | undefined {
      const message = sent.messages.find((candidate) => candidate.channel === channel && candidate.ts === ts);
      if (!message) return undefined;
      const blocks = liveBlocks.get(`${channel}:${ts}`);
      const { buttons: _buttons, blocks: _blocks, ...rest } = message;
      return { ...rest, ...buttonFields(blocks) };
    },
    users: setup.users,
    /** Answers one Web API call. */
    answer(method: string, params: Record<string, unknown>, token: string | undefined, contentType: string): FakeSlackAnswer {
      calls.push({ method, params, token, contentType });
      const failed = failure(method) ?? failure('*');
      if (failed) return failed;
      if (method === 'apps.connections.open') {
        if (token === undefined) return refuse('not_authed');
        if (token === setup.botToken) return refuse('not_allowed_token_type');
        if (token !== setup.appToken) return refuse('invalid_auth');
        return ok({ url: `${setup.baseUrl().replace(/^http/, 'ws')}/link/?ticket=${setup.newSocketTicket()}` });
      }
      if (token === undefined) return refuse('not_authed');
      if (token !== setup.botToken) return refuse('invalid_auth');
      const handler = methods[method];
      return handler ? handler(params) : refuse('unknown_method');
    },
    /** Stores the bytes posted to an upload URL; false for an unknown file id. */
    upload(fileId: string, data: Uint8Array, mimetype: string | undefined): boolean {
      const pending = pendingUploads.get(fileId);
      if (!pending) return false;
      pendingUploads.delete(fileId);
      setup.files.set(fileId, fileOf(setup, fileId, pending.name, mimetype ?? 'application/octet-stream', data, setup.botUserId));
      return true;
    },
    failNext(method: string, ...failuresOfMethod: FakeSlackFailure[]): void {
      failures.set(method, [...(failures.get(method) ?? []), ...failuresOfMethod]);
    },
    rejectMarkup(marker: string): void {
      rejectedMarkup.push(marker);
    },
    addFile(name: string, mimetype: string, data: Uint8Array, user: string): FakeSlackFile {
      fileCounter += 1;
      const file = fileOf(setup, `F${String(fileCounter).padStart(8, '0')}`, name, mimetype, data, user);
      setup.files.set(file.id, file);
      const { data: _data, ...metadata } = file;
      return metadata;
    },
    escape: escapeSlackText,
  };
}

function fileOf(setup: WebApiSetup, id: string, name: string, mimetype: string, data: Uint8Array, user: string) {
  const safeName = encodeURIComponent(name);
  return {
    id,
    name,
    title: name,
    mimetype,
    filetype: name.includes('.') ? (name.split('.').pop() ?? 'binary') : 'binary',
    size: data.length,
    user,
    url_private: `${setup.baseUrl()}/files-pri/${setup.teamId}-${id}/${safeName}`,
    url_private_download: `${setup.baseUrl()}/files-pri/${setup.teamId}-${id}/download/${safeName}`,
    data,
  };
}
