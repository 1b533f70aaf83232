// A fake WeCom for tests, on 127.0.0.1: the access token endpoint (`/cgi-bin/gettoken`, tokens the
// test expires at will), the application message API (`/cgi-bin/message/send`, text, markdown, file
// and image messages, `/cgi-bin/message/recall`), media upload and download (`/cgi-bin/media/upload`,
// `/cgi-bin/media/get`) and the group robot webhook (`/cgi-bin/webhook/send?key=`: text, markdown, file
// and base64 image messages; `/cgi-bin/webhook/upload_media?key=`, 5 B to 20 MB). Every answer is
// HTTP 200 with WeCom's `errcode`/`errmsg`, as the real API answers. It records what was sent, fails
// the next call of a path with any errcode (or HTTP status), and plays the platform's side of the
// callbacks: encrypted and signed message callbacks and the URL check's `echostr`, to a URL or a
// handler, redelivered at will.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMultipart } from '../http/multipart';
import { readBody } from '../http/request-body';
import { type FakeWeComInbound, weComCallback, weComMessageXml } from './fake-wecom-callback';
import type {
  FakeWeComFailure,
  FakeWeComMedia,
  FakeWeComSent,
  FakeWeComServer,
  FakeWeComServerOptions,
} from './fake-wecom-types';

const ok = { errcode: 0, errmsg: 'ok' };

/** Starts a fake WeCom on 127.0.0.1 and a free port. */
export async function createFakeWeComServer(options: FakeWeComServerOptions = {}): Promise<FakeWeComServer> {
  const corpId = options.corpId ?? 'wwfakecorp0001';
  const agentId = options.agentId ?? 1000002;
  const secret = options.secret ?? 'fake-app-secret';
  const token = options.token ?? 'fake-callback-token';
  const encodingAesKey = options.encodingAesKey ?? randomBytes(32).toString('base64').slice(0, 43);
  const robotKey = options.robotKey ?? 'fake-robot-key';
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 7200;
  const tokens = new Map<string, boolean>();
  const users = new Map(Object.entries(options.users ?? {}));
  const media = new Map<string, FakeWeComMedia>();
  // The robot's uploads are its own: an application's media_id is no file to the robot, and back.
  const robotMedia = new Map<string, FakeWeComMedia>();
  const failures = new Map<string, FakeWeComFailure[]>();
  const sent: FakeWeComSent[] = [];
  const recalls: string[] = [];
  const uploads: FakeWeComMedia[] = [];
  const calls: string[] = [];
  let nextMsgId = 1;
  let fetches = 0;

  const storeMedia = (file: { name: string; contentType: string; data: Uint8Array; type?: string }): FakeWeComMedia => {
    const stored = { mediaId: `media-${randomUUID()}`, type: file.type ?? 'file', ...file };
    media.set(stored.mediaId, stored);
    return stored;
  };

  const json = (response: ServerResponse, body: unknown, status = 200) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };

  /** The token check every API call makes: errcode 40014 for unknown tokens, 42001 for expired ones. */
  const tokenError = (url: URL): { errcode: number; errmsg: string } | undefined => {
    const given = url.searchParams.get('access_token') ?? '';
    const valid = tokens.get(given);
    if (valid === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (!valid) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  };

  const messageContent = (body: Record<string, unknown>, type: string): string => {
    const part = body[type] as { content?: unknown } | undefined;
    return typeof part?.content === 'string' ? part.content : '';
  };

  /** WeCom's limit on text and markdown content: 2048 bytes for app messages and robot text, 4096 for robot markdown. */
  const tooLong = (content: string, limit: number) => Buffer.byteLength(content, 'utf8') > limit;

  const sendMessage = (body: Record<string, unknown>, robot: boolean, group = false): Record<string, unknown> => {
    const msgtype = String(body.msgtype ?? '');
    if (group && typeof body.chatid !== 'string') return { errcode: 86003, errmsg: 'invalid chatid' };
    if (!robot && !group && String(body.agentid ?? '') !== String(agentId)) return { errcode: 301002, errmsg: 'invalid agentid' };
    if (!robot && !group && typeof body.touser !== 'string') return { errcode: 40003, errmsg: 'invalid touser' };
    let content = '';
    let file: FakeWeComMedia | undefined;
    if (msgtype === 'text' || msgtype === 'markdown') {
      content = messageContent(body, msgtype);
      if (content === '') return { errcode: 44004, errmsg: 'empty content' };
      if (tooLong(content, robot && msgtype === 'markdown' ? 4096 : 2048))
        return { errcode: 45002, errmsg: 'content size out of limit' };
    } else if (robot && msgtype === 'image') {
      const image = robotImage(body.image);
      if ('errcode' in image) return image;
      file = image;
    } else if (msgtype === 'file' || (!robot && msgtype === 'image')) {
      const mediaId = (body[msgtype] as { media_id?: unknown } | undefined)?.media_id;
      file = typeof mediaId === 'string' ? (robot ? robotMedia : media).get(mediaId) : undefined;
      if (!file) return { errcode: 40007, errmsg: 'invalid media_id' };
    } else return { errcode: 40008, errmsg: 'invalid message type' };
    const msgid = robot || group ? '' : `msg-${nextMsgId++}-${randomBytes(4).toString('hex')}`;
    sent.push({
      msgid,
      toUser: robot ? 'robot' : group ? '' : String(body.touser),
      ...(group ? { chatId: String(body.chatid) } : {}),
      msgtype,
      content,
      ...(file ? { media: file } : {}),
      robot,
    });
    return robot || group ? ok : { ...ok, invaliduser: '', msgid };
  };

  /** A robot `image` message: base64 of a JPG or PNG of at most 2 MB, and the md5 of those bytes. */
  const robotImage = (part: unknown): FakeWeComMedia | { errcode: number; errmsg: string } => {
    const { base64, md5 } = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
    if (typeof base64 !== 'string' || typeof md5 !== 'string')
      return { errcode: 40058, errmsg: 'image.base64 and image.md5 required' };
    const data = Buffer.from(base64, 'base64');
    if (data.length === 0 || data.length > 2 * 1024 * 1024) return { errcode: 40009, errmsg: 'invalid image size' };
    if (createHash('md5').update(data).digest('hex') !== md5.toLowerCase())
      return { errcode: 301019, errmsg: 'media md5 not match' };
    const png = data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpeg = data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
    if (!png && !jpeg) return { errcode: 40005, errmsg: 'invalid image format: jpg or png only' };
    return { mediaId: '', type: 'image', name: '', contentType: png ? 'image/png' : 'image/jpeg', data: new Uint8Array(data) };
  };

  /** The `media` part of an upload (multipart, with a filename), or the errcode WeCom answers. */
  const uploadedPart = (raw: Buffer, contentType: string) => {
    const part = readMultipart(raw, contentType).find((candidate) => candidate.name === 'media');
    if (!part || part.filename === undefined)
      return { errcode: 40004, errmsg: 'invalid media: a multipart `media` part with a filename' };
    return part;
  };

  const parseJson = (raw: Buffer): Record<string, unknown> | undefined => {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(request);
    calls.push(url.pathname);
    const failure = failures.get(url.pathname)?.shift();
    if (failure) {
      if ('status' in failure) return json(response, { errcode: -1, errmsg: 'http failure' }, failure.status);
      return json(response, { errcode: failure.errcode, errmsg: failure.errmsg ?? `injected ${failure.errcode}` });
    }
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== corpId) return json(response, { errcode: 40013, errmsg: 'invalid corpid' });
      if (url.searchParams.get('corpsecret') !== secret) return json(response, { errcode: 40001, errmsg: 'invalid credential' });
      fetches += 1;
      const issued = `token-${fetches}-${randomBytes(8).toString('hex')}`;
      tokens.set(issued, true);
      return json(response, { ...ok, access_token: issued, expires_in: lifetime });
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      if (url.searchParams.get('key') !== robotKey) return json(response, { errcode: 93000, errmsg: 'invalid webhook url' });
      const body = parseJson(raw);
      return json(response, body ? sendMessage(body, true) : { errcode: 40035, errmsg: 'invalid json' });
    }
    if (url.pathname === '/cgi-bin/webhook/upload_media') {
      if (url.searchParams.get('key') !== robotKey) return json(response, { errcode: 93000, errmsg: 'invalid webhook url' });
      const type = url.searchParams.get('type') ?? '';
      if (type !== 'file' && type !== 'voice') return json(response, { errcode: 40004, errmsg: 'invalid media type' });
      const part = uploadedPart(raw, request.headers['content-type'] ?? '');
      if ('errcode' in part) return json(response, part);
      if (part.data.length < 5 || part.data.length > (type === 'voice' ? 2 : 20) * 1024 * 1024)
        return json(response, { errcode: 40006, errmsg: 'invalid file size' });
      const stored = {
        mediaId: `robot-media-${randomUUID()}`,
        type,
        name: part.filename ?? '',
        contentType: part.contentType ?? 'application/octet-stream',
        data: new Uint8Array(part.data),
      };
      robotMedia.set(stored.mediaId, stored);
      uploads.push(stored);
      return json(response, { ...ok, type, media_id: stored.mediaId, created_at: String(Math.floor(now() / 1000)) });
    }
    const refused = tokenError(url);
    if (refused) return json(response, refused);
    if (url.pathname === '/cgi-bin/message/send') {
      const body = parseJson(raw);
      return json(response, body ? sendMessage(body, false) : { errcode: 40035, errmsg: 'invalid json' });
    }
    if (url.pathname === '/cgi-bin/appchat/send') {
      const body = parseJson(raw);
      return json(response, body ? sendMessage(body, false, true) : { errcode: 40035, errmsg: 'invalid json' });
    }
    if (url.pathname === '/cgi-bin/user/get') {
      const name = users.get(url.searchParams.get('userid') ?? '');
      return json(
        response,
        name === undefined
          ? { errcode: 60111, errmsg: 'userid not found' }
          : { ...ok, userid: url.searchParams.get('userid'), name },
      );
    }
    if (url.pathname === '/cgi-bin/message/recall') {
      const msgid = parseJson(raw)?.msgid;
      if (typeof msgid !== 'string' || !sent.some((message) => message.msgid === msgid))
        return json(response, { errcode: 40031, errmsg: 'invalid msgid' });
      recalls.push(msgid);
      return json(response, ok);
    }
    if (url.pathname === '/cgi-bin/media/upload') {
      const part = uploadedPart(raw, request.headers['content-type'] ?? '');
      if ('errcode' in part) return json(response, part);
      const stored = storeMedia({
        name: part.filename ?? '',
        contentType: part.contentType ?? 'application/octet-stream',
        data: new Uint8Array(part.data),
        type: url.searchParams.get('type') ?? 'file',
      });
      uploads.push(stored);
      return json(response, { ...ok, type: stored.type, media_id: stored.mediaId, created_at: String(Math.floor(now() / 1000)) });
    }
    if (url.pathname === '/cgi-bin/media/get') {
      const file = media.get(url.searchParams.get('media_id') ?? '');
      if (!file) return json(response, { errcode: 40007, errmsg: 'invalid media_id' });
      response.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.data.length),
        'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
      });
      return response.end(file.data);
    }
    json(response, { errcode: 404, errmsg: 'unknown api' }, 404);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, { errcode: -1, errmsg: String(error) }, 500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const settings = { token, encodingAesKey, corpId, agentId };
  const messageXml = (input: FakeWeComInbound) =>
    weComMessageXml({ msgId: String(Date.now()) + String(nextMsgId++), ...input, toUser: corpId, agentId }, now());

  return {
    url: `http://127.0.0.1:${port}`,
    corpId,
    agentId,
    secret,
    token,
    encodingAesKey,
    robotKey,
    sent,
    recalls,
    uploads,
    calls,
    tokenFetches: () => fetches,
    expireTokens() {
      for (const issued of tokens.keys()) tokens.set(issued, false);
    },
    failNext(path, failure) {
      failures.set(path, [...(failures.get(path) ?? []), failure]);
    },
    addMedia: storeMedia,
    addUser(userId, name) {
      users.set(userId, name);
    },
    messageXml,
    callbackRequest(webhookUrl, message, faults) {
      const xml = typeof message === 'string' ? message : messageXml(message);
      const callback = weComCallback(settings, xml, now(), faults);
      return new Request(`${webhookUrl}?${callback.query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: callback.body,
      });
    },
    urlCheckRequest(webhookUrl, faults = {}) {
      const echo = `echo-${randomBytes(6).toString('hex')}`;
      const callback = weComCallback(settings, echo, now(), faults);
      const query = new URLSearchParams(callback.query);
      query.set('echostr', callback.encrypted);
      return { request: new Request(`${webhookUrl}?${query.toString()}`), echo };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
