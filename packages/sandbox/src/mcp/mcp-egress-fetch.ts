import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** Statuses whose responses have no body (a `Response` refuses one). */
const bodyless = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for the MCP client that sends every request to the egress forwarder on loopback as a
 * forward-proxy request in absolute form (`POST https://host/path HTTP/1.1`, never CONNECT), so that
 * the host's egress proxy makes the upstream request itself: it checks the target, adds the server's
 * headers (which never enter the sandbox) and streams the answer back, server-sent events included.
 * One connection per request: the host proxy closes each after its answer.
 * @param forwarderPort the loopback port of the sandbox's egress forwarder
 */
export function createEgressFetch(forwarderPort: number): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        reject(new Error(`only http:// and https:// URLs go through the egress proxy, not ${target.protocol}`));
        return;
      }
      target.hash = '';
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        reject(new Error('the MCP client sent a body that is not text'));
        return;
      }
      const request = httpRequest({
        host: '127.0.0.1',
        port: forwarderPort,
        method: init?.method ?? 'GET',
        path: target.href,
        headers: { ...headers, host: target.host },
        agent: false,
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      request.once('error', reject);
      request.once('response', (response) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          for (const each of Array.isArray(value) ? value : [value]) responseHeaders.append(name, each);
        }
        const status = response.statusCode ?? 502;
        const hasBody = !bodyless.has(status) && init?.method !== 'HEAD';
        if (!hasBody) response.resume();
        try {
          resolve(
            new Response(hasBody ? (Readable.toWeb(response) as ReadableStream<Uint8Array>) : null, {
              status,
              statusText: response.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        } catch (error) {
          response.destroy();
          reject(error);
        }
      });
      request.end(body ?? undefined);
    });
}
