import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import type { EgressHeaderInjection } from './mcp-server-headers';

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
      /**
       * For an absolute-form request: the head to send upstream (origin-form, proxy headers dropped,
       * the origin's injected headers added, `Connection: close`).
       */
      upstreamHead?: Buffer;
      /** True for an absolute-form `https://` request: the proxy speaks TLS to the target itself. */
      tls?: boolean;
      /** Bytes the client sent after the head. */
      rest: Buffer;
    }
  | { ok: false; status: number; reason: string; method: string; host: string; port: number };

const droppedHeaders = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'host', 'te', 'upgrade']);
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads one request head (up to the blank line) from a client of the egress proxy and works out
 * its target: `CONNECT host:port` (a tunnel) or an absolute-form `http://` or `https://` request.
 * Anything else (origin-form, a head past {@link maxRequestHeadBytes}) is refused. An absolute-form
 * request for an origin of `injections` gets that origin's headers when its path is the injection's
 * path or below it, and is refused when it carries one of their names itself, whatever its path
 * (the sandbox may neither read nor replace them).
 * Resolves once the head is read, or with a refusal when the client ends first.
 */
export function readEgressTarget(socket: Socket, injections: readonly EgressHeaderInjection[] = []): Promise<EgressTarget> {
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
      done(parseHead(buffer.subarray(0, end).toString('latin1'), buffer.subarray(end + 4), injections));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

function refusal(status: number, reason: string, method = '', host = '', port = 0): EgressTarget {
  return { ok: false, status, reason, method, host, port };
}

function parseHead(head: string, rest: Buffer, injections: readonly EgressHeaderInjection[]): EgressTarget {
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
  if (!/^https?:\/\//i.test(target)) {
    return refusal(400, 'not a proxy request: use CONNECT host:port or an absolute http:// or https:// URL', method);
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return refusal(400, 'malformed URL', method);
  }
  const tls = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  if (url.username !== '' || url.password !== '') return refusal(400, 'credentials in the URL are refused', method, host, port);
  const injection = injections.find((candidate) => candidate.origin === url.origin);
  const injectedNames = new Set(injection?.headers.map(([name]) => name.toLowerCase()));
  const headers: string[] = [];
  const framing = new Set<string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !token.test(line.slice(0, colon))) return refusal(400, 'malformed header line', method, host, port);
    const name = line.slice(0, colon).toLowerCase();
    if (injectedNames.has(name)) {
      return refusal(
        403,
        `the request carries ${line.slice(0, colon)}, which the proxy adds for ${url.origin} itself`,
        method,
        host,
        port,
      );
    }
    if (name === 'content-length' || name === 'transfer-encoding') framing.add(name);
    if (!droppedHeaders.has(name)) headers.push(line);
  }
  // The path is the normalized one that is sent on (dot segments resolved by the URL parser).
  const injectHere = injection !== undefined && isUnder(url.pathname, injection.path);
  if (injection !== undefined && framing.size > 1) {
    // Two framings would let a second request ride in the body of the first, past the injection.
    return refusal(400, 'both Content-Length and Transfer-Encoding', method, host, port);
  }
  if (injectHere) for (const [name, value] of injection.headers) headers.push(`${name}: ${value}`);
  // The Host header names the checked target, never another name the client chose.
  const upstreamHead = Buffer.from(
    [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...headers, 'Connection: close', '', ''].join(
      '\r\n',
    ),
    'latin1',
  );
  return { ok: true, method, host, port, literal: isIP(host) !== 0, upstreamHead, tls, rest };
}

/** Whether `path` is `base` or below it (`/mcp` covers `/mcp` and `/mcp/x`, not `/mcpx`). */
function isUnder(path: string, base: string): boolean {
  if (base === '/' || path === base) return true;
  return path.startsWith(base.endsWith('/') ? base : `${base}/`);
}

/** The host part of a CONNECT authority as the URL parser normalizes it (IDNA, IPv4 spellings), or undefined. */
function hostOf(authorityHost: string): string | undefined {
  try {
    return new URL(`http://${authorityHost}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}
