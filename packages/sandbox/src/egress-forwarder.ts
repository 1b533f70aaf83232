import { type AddressInfo, connect, createServer } from 'node:net';

/** A running forwarder: where the tools' proxy settings point. */
export interface EgressForwarder {
  /** The loopback port it listens on. */
  readonly port: number;
  /** The proxy settings every tool gets (`HTTP_PROXY`, `https_proxy`, ..., and `NO_PROXY` for loopback). */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 inside the sandbox and relays every connection, byte for byte, to the host's
 * egress proxy on the mounted unix socket. It decides nothing: the host proxy allows or refuses.
 * @param socketPath the host proxy's socket as mounted (`/run/ngb/egress.sock` in the image)
 * @param port the loopback port; 0 picks a free one
 */
export async function startEgressForwarder(socketPath: string, port = 0): Promise<EgressForwarder> {
  const server = createServer((client) => {
    const upstream = connect(socketPath);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const listening = (server.address() as AddressInfo).port;
  const proxy = `http://127.0.0.1:${listening}`;
  const local = 'localhost,127.0.0.1,::1';
  return {
    port: listening,
    env: {
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
      http_proxy: proxy,
      https_proxy: proxy,
      NO_PROXY: local,
      no_proxy: local,
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
