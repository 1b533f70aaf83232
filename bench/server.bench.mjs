// Server numbers (DESIGN §9): what 50 live-event clients attached to `/api/events` cost ingest, against
// no client in the same run. The clients run in another process, as browsers elsewhere would.
// Options: --runs N (default 5), --quick, --no-write, --results <dir> (see report.mjs).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createServer } from '@ngb/server';
import { message, setup } from './gateway-setup.mjs';
import { benchOptions, figure, finish, machine, repeatRuns } from './report.mjs';

const options = benchOptions();
const counts = options.quick ? { ingest: 300, warm: 50, clients: 5 } : { ingest: 5_000, warm: 500, clients: 50 };
const clientsScript = fileURLToPath(new URL('./sse-clients.mjs', import.meta.url));

function attachClients(url, count) {
  const child = spawn(process.execPath, [clientsScript, url, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const lineAfter = (marker) =>
    new Promise((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes(marker)) {
          clearInterval(check);
          resolve(output);
        } else if (child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`the clients exited: ${output}`));
        }
      }, 5);
    });
  return {
    connected: lineAfter('connected\n'),
    async detach() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(output.split('\n').find((line) => line.startsWith('{')) ?? '{"received":[]}').received;
    },
  };
}

/** Messages per second of one `receive` at a time, with `clients` live-event clients attached. */
async function ingestWith(clients) {
  const bench = await setup();
  const server = await createServer({ gateway: bench.gateway, store: bench.store, port: 0 });
  await bench.wire('group', { isGroup: true, engage: 'mention', accumulate: true });
  const attached = clients > 0 ? attachClients(`${server.url}/api/events`, clients) : undefined;
  await attached?.connected;
  const seqAtConnect = bench.gateway.events.lastSeq();
  for (let index = 0; index < counts.warm; index += 1)
    await bench.gateway.receive(message('group', `warm ${index}`, { isGroup: true }));
  const started = performance.now();
  for (let index = 0; index < counts.ingest; index += 1) {
    await bench.gateway.receive(message('group', `chatter ${index}`, { isGroup: true, sender: `u${index % 50}` }));
  }
  const elapsed = performance.now() - started;
  const events = bench.gateway.events.lastSeq() - seqAtConnect;
  // Let the streams drain before counting what each client got.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const received = (await attached?.detach()) ?? [];
  await server.close();
  await bench.close();
  if (received.some((count) => count < events)) {
    throw new Error(`a client missed events: got ${Math.min(...received)} of ${events}`);
  }
  return (counts.ingest / elapsed) * 1000;
}

const runs = await repeatRuns(options.runs, async () => ({
  none: await ingestWith(0),
  attached: await ingestWith(counts.clients),
}));

finish(options, {
  bench: 'server',
  title: 'Server',
  script: 'bench/server.bench.mjs',
  machine: machine(),
  setup:
    `Ingest as in the gateway section (one \`receive\` at a time, ${counts.ingest.toLocaleString('en-US')} messages kept as context in a group ` +
    `chat, SQLite file store), through a gateway served by \`createServer\` on loopback: once with no client, once with ` +
    `${counts.clients} clients in another process following \`/api/events\` (every event to every client; each client's count is ` +
    'checked: none may miss one).',
  figures: [
    figure({
      what: `Ingest with ${counts.clients} live-event clients attached`,
      unit: '/s',
      values: runs.attached,
      load: runs.load,
      floor: { what: 'the same ingest with no client', values: runs.none },
      compare: 'percent',
      target: '≥ 90 % (no more than 10 % lower)',
    }),
  ],
});
