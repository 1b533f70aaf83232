// Server numbers (DESIGN §9): what 50 live-event clients attached to `/api/events` cost ingest, against
// no client in the same run (the clients run in another process, as browsers elsewhere would); and the
// first dashboard load in Debian's headless Chromium, against the static login page in the same browser.
// Options: --runs N (default 5), --quick, --no-write, --results <dir> (see report.mjs); --only ingest|dashboard
// measures one half (to compare two builds; its figures are not written).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createServer } from '@ngb/server';
import { message, setup } from './gateway-setup.mjs';
import { benchOptions, figure, finish, machine, percentile, repeatRuns } from './report.mjs';

const options = benchOptions();
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined) options.write = false;
const counts = options.quick ? { ingest: 300, warm: 50, clients: 5 } : { ingest: 5_000, warm: 500, clients: 50 };
const clientsScript = fileURLToPath(new URL('./sse-clients.mjs', import.meta.url));
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const loadsPerRun = options.quick ? 2 : 5;
const token = 'a-bench-token-of-at-least-16-characters';

function attachClients(url, count, encoding) {
  const child = spawn(process.execPath, [clientsScript, url, String(count), encoding], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

/**
 * Messages per second of one `receive` at a time, with `clients` live-event clients attached (asking
 * for `encoding`, see sse-clients.mjs); and the gateway process's CPU time per message over the same
 * stretch (what the clients cost the gateway itself, apart from the CPU their own process takes from it
 * on a shared machine).
 */
async function ingestWith(clients, encoding = 'deflate') {
  const bench = await setup();
  const server = await createServer({ gateway: bench.gateway, store: bench.store, port: 0 });
  await bench.wire('group', { isGroup: true, engage: 'mention', accumulate: true });
  const attached = clients > 0 ? attachClients(`${server.url}/api/events`, clients, encoding) : undefined;
  await attached?.connected;
  const seqAtConnect = bench.gateway.events.lastSeq();
  for (let index = 0; index < counts.warm; index += 1)
    await bench.gateway.receive(message('group', `warm ${index}`, { isGroup: true }));
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  for (let index = 0; index < counts.ingest; index += 1) {
    await bench.gateway.receive(message('group', `chatter ${index}`, { isGroup: true, sender: `u${index % 50}` }));
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const events = bench.gateway.events.lastSeq() - seqAtConnect;
  // Let the streams drain before counting what each client got.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const received = (await attached?.detach()) ?? [];
  await server.close();
  await bench.close();
  if (received.some((count) => count < events)) {
    throw new Error(`a client missed events: got ${Math.min(...received)} of ${events}`);
  }
  return { rate: (counts.ingest / elapsed) * 1000, cpuMs: (cpu.user + cpu.system) / 1000 / counts.ingest };
}

/**
 * Navigation start to a usable page, in fresh browser contexts (nothing cached): the dashboard until
 * the channels are on screen, and the static login page (no script) as the floor of this browser on
 * this machine. Medians of `loadsPerRun` loads each.
 *
 * Timed by the page itself: a script installed before any of the page's own runs a MutationObserver
 * and notes `performance.now()` (milliseconds since the page's navigation start) the moment the
 * element appears. Playwright only waits for the element, so that the page is read after it: a reading
 * taken by Playwright itself would also hold its round trips to the browser and the wait for the next
 * animation frame, about 200–300 ms on this machine even for the static login page.
 */
async function dashboardLoads(browser) {
  const bench = await setup();
  const server = await createServer({ gateway: bench.gateway, store: bench.store, port: 0, token });
  const usableAfter = async (path, selector) => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    await context.addInitScript((ready) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector(ready)) return;
        globalThis.__usableAt = performance.now();
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    }, selector);
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
    await page.waitForFunction((ready) => document.querySelector(ready) !== null, selector, { polling: 'raf' });
    const ms = await page.evaluate(() => globalThis.__usableAt);
    await context.close();
    if (typeof ms !== 'number') throw new Error(`${path}: the page never showed ${selector}`);
    return ms;
  };
  const floor = [];
  const dashboard = [];
  for (let index = 0; index < loadsPerRun; index += 1) {
    floor.push(await usableAfter('/login', 'form button'));
    dashboard.push(await usableAfter('/', '[data-channel="fake"] .badge'));
  }
  await server.close();
  await bench.close();
  return { dashboard: percentile(dashboard, 50), loginPage: percentile(floor, 50) };
}

const ingestFigures = (none, attached, plain) => ({
  none: none.rate,
  attached: attached.rate,
  plain: plain.rate,
  cpuNone: none.cpuMs,
  cpuAttached: attached.cpuMs,
  cpuPlain: plain.cpuMs,
});

const browser =
  only !== 'ingest' && existsSync(chromiumPath)
    ? await (await import('playwright-core')).chromium.launch({
        executablePath: chromiumPath,
        args: chromiumArgs,
        headless: true,
      })
    : undefined;
if (!browser && only !== 'ingest')
  console.log(`no ${chromiumPath}: the dashboard load is not measured (install Debian's chromium)`);
/**
 * The three ingests of a run, in an order that turns with the run: each goes first, second and third
 * equally often, so that no figure gains from coming after the others (a warmer JIT, a smaller heap).
 */
async function ingests(run) {
  const kinds = [
    ['none', () => ingestWith(0)],
    ['deflate', () => ingestWith(counts.clients, 'deflate')],
    ['identity', () => ingestWith(counts.clients, 'identity')],
  ];
  const measured = {};
  for (let turn = 0; turn < kinds.length; turn += 1) {
    const [kind, measure] = kinds[(run + turn) % kinds.length];
    measured[kind] = await measure();
  }
  return ingestFigures(measured.none, measured.deflate, measured.identity);
}

const runs = await repeatRuns(options, async (run) => ({
  ...(only === 'dashboard' ? {} : await ingests(run)),
  ...(browser ? await dashboardLoads(browser) : {}),
}));
await browser?.close();

finish(options, {
  bench: 'server',
  title: 'Server',
  script: 'bench/server.bench.mjs',
  machine: machine(),
  setup:
    `Ingest as in the gateway section (one \`receive\` at a time, ${counts.ingest.toLocaleString('en-US')} messages kept as context in a group ` +
    `chat, SQLite file store), through a gateway served by \`createServer\` on loopback: once with no client, once with ` +
    `${counts.clients} clients in another process following \`/api/events\` (every event to every client; each client's count is ` +
    'checked: none may miss one). The clients ask for the encodings a browser names and inflate the stream, as a browser does; ' +
    'a third ingest has them name none (curl without `--compressed`), so that they get the stream as it is. Figures before ' +
    '2026-12-03 had no compressed stream: the clients named no encoding. The dashboard load is timed by the page itself: a MutationObserver installed before the ' +
    "page's own scripts notes `performance.now()` (milliseconds since the page's navigation start) when the channels appear. " +
    'Figures before 2026-12-03 were read by Playwright polling for the channels after `goto` returned: that also counted its ' +
    'round trips to the browser and a wait for the next frame, about 300 ms even on the static login page (292 ms of 615 ms ' +
    'for the dashboard on 2026-12-02).',
  figures: [
    ...(runs.attached
      ? [
          figure({
            what: `Ingest with ${counts.clients} live-event clients attached (compressed, as browsers ask)`,
            unit: '/s',
            values: runs.attached,
            load: runs.load,
            floor: { what: 'the same ingest with no client', values: runs.none },
            compare: 'percent',
            target: '≥ 90 % (no more than 10 % lower)',
          }),
          figure({
            what: `The gateway process's CPU time per message, with ${counts.clients} live-event clients attached (compressed)`,
            unit: 'ms',
            values: runs.cpuAttached,
            load: runs.load,
            floor: { what: 'the same ingest with no client', values: runs.cpuNone },
            compare: 'times',
          }),
          figure({
            what: `Ingest with ${counts.clients} live-event clients that name no encoding (the stream as it is)`,
            unit: '/s',
            values: runs.plain,
            load: runs.load,
            floor: { what: 'the same ingest with no client', values: runs.none },
            compare: 'percent',
          }),
          figure({
            what: `The gateway process's CPU time per message, with ${counts.clients} clients that name no encoding`,
            unit: 'ms',
            values: runs.cpuPlain,
            load: runs.load,
            floor: { what: 'the same ingest with no client', values: runs.cpuNone },
            compare: 'times',
          }),
        ]
      : []),
    ...(runs.dashboard
      ? [
          figure({
            what: `First dashboard load on loopback, navigation start to the channels on screen (median of ${loadsPerRun} fresh loads)`,
            unit: 'ms',
            values: runs.dashboard,
            load: runs.load,
            floor: { what: 'the static login page in the same browser', values: runs.loginPage },
            compare: 'over',
            target: '≤ 300 ms',
          }),
        ]
      : []),
  ],
});
