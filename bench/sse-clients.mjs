// Attaches N live-event clients to a server, as browsers elsewhere would:
// `node sse-clients.mjs <url> <n> [deflate|identity]`. With `deflate` (the default) each asks for the
// encodings a browser names and inflates what it gets, as a browser does; with `identity` it names none
// (curl without --compressed, a plain HTTP client). Prints `connected` once every stream answered, then on
// SIGTERM one JSON line with the events each received. Plain node:http, counting `data:` lines in the
// bytes: the clients cost as little CPU as they can, since they share the machine with the gateway they measure.
import { get } from 'node:http';
import { createInflateRaw } from 'node:zlib';

const [url, countText, encoding = 'deflate'] = process.argv.slice(2);
if (encoding !== 'deflate' && encoding !== 'identity') throw new Error(`unknown encoding ${encoding}`);
const count = Number(countText);
const received = new Array(count).fill(0);
const dataLine = Buffer.from('\ndata: ');
const headers = encoding === 'deflate' ? { 'accept-encoding': 'gzip, deflate, br, zstd' } : {};
const requests = [];
const occurrences = (bytes) => {
  let found = 0;
  for (let at = bytes.indexOf(dataLine); at !== -1; at = bytes.indexOf(dataLine, at + 1)) found += 1;
  return found;
};
await Promise.all(
  received.map(
    (_, index) =>
      new Promise((resolve, reject) => {
        const request = get(url, { headers }, (response) => {
          if (response.statusCode !== 200) reject(new Error(`client ${index}: HTTP ${response.statusCode}`));
          const sent = response.headers['content-encoding'] ?? 'identity';
          if (sent !== encoding) reject(new Error(`client ${index}: asked for ${encoding}, got ${sent}`));
          const body = sent === 'deflate' ? response.pipe(createInflateRaw({ chunkSize: 64 * 1024 })) : response;
          body.on('error', reject);
          // A `data:` line may be split between two chunks: only the few bytes around the seam are
          // searched again (joined, they cannot hold a whole line that either chunk holds).
          let tail = Buffer.alloc(0);
          const keep = dataLine.length - 1;
          body.on('data', (chunk) => {
            const seam = Buffer.concat([tail, chunk.subarray(0, keep)]);
            received[index] += occurrences(seam) + occurrences(chunk);
            tail = (chunk.length >= keep ? chunk : seam).subarray(-keep);
          });
          resolve();
        });
        request.on('error', reject);
        requests.push(request);
      }),
  ),
);
process.stdout.write('connected\n');
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ received, cpuMs: process.cpuUsage().user / 1000 })}\n`);
  for (const request of requests) request.destroy();
  process.exit(0);
});
setInterval(() => undefined, 1 << 30);
