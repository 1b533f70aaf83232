import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the tiny HTTP MCP server received. */
interface TinyHttpRequest {
  method: string;
  /** The request target as sent: absolute form (`http://host/path`) when it came as a proxy request. */
  target: string;
  headers: IncomingHttpHeaders;
  /** The JSON-RPC method of a POST, when it carried one. */
  rpcMethod?: string;
}

/** A running tiny HTTP MCP server. */
export interface TinyHttpMcpServer {
  port: number;
  requests: TinyHttpRequest[];
  close(): Promise<void>;
}

/**
 * A minimal MCP server over streamable HTTP, written by hand (JSON-RPC over POST): it answers
 * `initialize`, `tools/list` (one tool, `whoami`) and `tools/call` (as a server-sent event stream),
 * takes notifications with 202 and refuses GET with 405. It accepts requests in absolute form too, so
 * a test can stand it in for a forward proxy and see what the client sent. `whoami` says whether the
 * request carried an `Authorization` header, never its value.
 */
export async function startTinyHttpMcpServer(host = '127.0.0.1'): Promise<TinyHttpMcpServer> {
  const requests: TinyHttpRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: TinyHttpRequest = { method: request.method ?? '', target: request.url ?? '', headers: request.headers };
      requests.push(seen);
      if (request.method !== 'POST') {
        response.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      let message: { id?: number | string; method?: string; params?: { protocolVersion?: string } };
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400).end();
        return;
      }
      seen.rpcMethod = message.method;
      if (message.id === undefined) {
        response.writeHead(202).end();
        return;
      }
      const answer = (result: unknown) => ({ jsonrpc: '2.0', id: message.id, result });
      if (message.method === 'initialize') {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify(
            answer({
              protocolVersion: message.params?.protocolVersion ?? '2025-06-18',
              capabilities: { tools: {} },
              serverInfo: { name: 'tiny-http', version: '1.0.0' },
            }),
          ),
        );
      } else if (message.method === 'tools/list') {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify(
            answer({
              tools: [
                {
                  name: 'whoami',
                  description: 'Says which server answered and whether the request was authorized.',
                  inputSchema: { type: 'object', properties: {} },
                },
              ],
            }),
          ),
        );
      } else if (message.method === 'tools/call') {
        const authorized = request.headers.authorization !== undefined ? 'yes' : 'no';
        const text = `tiny-http answered; authorized: ${authorized}`;
        response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        response.end(`event: message\ndata: ${JSON.stringify(answer({ content: [{ type: 'text', text }] }))}\n\n`);
      } else {
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'no such method' } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
