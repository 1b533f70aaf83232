// Attaches N live-event clients to a server, as browsers elsewhere would: `node sse-clients.mjs <url> <n>`.
// Prints `connected` once every stream answered, then on SIGTERM one JSON line with the events each received.
const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const received = new Array(count).fill(0);
const dataLine = Buffer.from('\ndata: ');
const controller = new AbortController();
await Promise.all(
  received.map(async (_, index) => {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok) throw new Error(`client ${index}: HTTP ${response.status}`);
    const reader = response.body.getReader();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          // Every event is one `data:` line (the gateway's events are JSON on one line): count them in the bytes.
          const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
          for (let at = bytes.indexOf(dataLine); at !== -1; at = bytes.indexOf(dataLine, at + 1)) received[index] += 1;
        }
      } catch {
        // Aborted at the end.
      }
    })();
  }),
);
process.stdout.write('connected\n');
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ received, cpuMs: process.cpuUsage().user / 1000 })}\n`);
  controller.abort();
  process.exit(0);
});
setInterval(() => undefined, 1 << 30);
