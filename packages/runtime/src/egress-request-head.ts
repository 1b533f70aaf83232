import type { Socket } from 'node:net';
import { isIP } from 'node:net';

/** The longest request head the egress proxy reads; a longer one is refused (431). */
const maxRequestHeadBytes = 16 * 1024;

/** A request to the egress proxy, read from its head. */
export type EgressTarget =
  | {
      ok: true;
      /** `CONNECT`, or the plain HTTP method. */
      method: string;
      /** Lower-case host name (IDNA applied) or IP literal without brackets. */
      host: string;
      port: number;
      /** True when `host` is an IP literal. */
      literal: boolean;
      /** For plain HTTP: the head to send upstream (origin-form, proxy headers dropped, `Connection: close`). */
      upstreamHead?: Buffer;
      /** Bytes the client sent after the head. */
      rest: Buffer;
    }
  | { ok: false; status: number; reason: string; method: string; host: string; port: number };

const droppedHeaders = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'host', 'te', 'upgrade']);
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads one request head (up to the blank line) from a client of the egress proxy and works out
 * its target: `CONNECT host:port` (a tunnel) or an absolute-form `http://` request. Anything else
 * (origin-form, `https://` in absolute form, a head past {@link maxRequestHeadBytes}) is refused.
 * Resolves once the head is read, or with a refusal when the client ends first.
 */
export function readEgressTarget(socket: Socket): Promise<EgressTarget> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (target: EgressTarget) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      resolve(target);
    };
    const onEnd = () => done(refusal(400, 'the client closed before sending a request'));
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const buffer = Buffer.concat(chunks, length);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) {
        if (length > maxRequestHeadBytes) done(refusal(431, `request head longer than ${maxRequestHeadBytes} bytes`));
        return;
      }
      if (end > maxRequestHeadBytes) {
        done(refusal(431, `request head longer than ${maxRequestHeadBytes} bytes`));
        return;
      }
      done(parseHead(buffer.subarray(0, end).toString('latin1'), buffer.subarray(end + 4)));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

function refusal(status: number, reason: string, method = '', host = '', port = 0): EgressTarget {
  return { ok: false, status, reason, method, host, port };
}

function parseHead(head: string, rest: Buffer): EgressTarget {
  const [requestLine = '', ...headerLines] = head.split('\r\n');
  const match = /^(\S+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match) return refusal(400, 'malformed request line');
  const [, method = '', target = ''] = match;
  if (!token.test(method)) return refusal(400, 'malformed request method');
  if (method === 'CONNECT') {
    const authority = /^(\[[0-9A-Fa-f:.]+\]|[^\s/\\@?#[\]:]+):(\d{1,5})$/.exec(target);
    if (!authority) return refusal(400, 'CONNECT needs host:port', method);
    const host = hostOf(authority[1] ?? '');
    const port = Number(authority[2]);
    if (host === undefined) return refusal(400, 'malformed host', method, authority[1], port);
    return { ok: true, method, host, port, literal: isIP(host) !== 0, rest };
  }
  if (!/^http:\/\//i.test(target)) {
    return refusal(
      400,
      /^https:\/\//i.test(target)
        ? 'https:// is reached with CONNECT, not in absolute form'
        : 'not a proxy request: use CONNECT host:port or an absolute http:// URL',
      method,
    );
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return refusal(400, 'malformed URL', method);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 80 : Number(url.port);
  if (url.username !== '' || url.password !== '') return refusal(400, 'credentials in the URL are refused', method, host, port);
  const headers: string[] = [];
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !token.test(line.slice(0, colon))) return refusal(400, 'malformed header line', method, host, port);
    if (!droppedHeaders.has(line.slice(0, colon).toLowerCase())) headers.push(line);
  }
  // The Host header names the checked target, never another name the client chose.
  const upstreamHead = Buffer.from(
    [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...headers, 'Connection: close', '', ''].join(
      '\r\n',
    ),
    'latin1',
  );
  return { ok: true, method, host, port, literal: isIP(host) !== 0, upstreamHead, rest };
}

/** The host part of a CONNECT authority as the URL parser normalizes it (IDNA, IPv4 spellings), or undefined. */
function hostOf(authorityHost: string): string | undefined {
  try {
    return new URL(`http://${authorityHost}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}
