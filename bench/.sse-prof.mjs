import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createServer } from '@ngb/server';
import { message, setup } from './gateway-setup.mjs';

const clients = Number(process.argv[2] ?? 0);
const bench = await setup();
const server = await createServer({ gateway: bench.gateway, store: bench.store, port: 0 });
await bench.wire('group', { isGroup: true, engage: 'mention', accumulate: true });
let child;
if (clients > 0) {
  child = spawn(process.execPath, ['bench/sse-clients.mjs', `${server.url}/api/events`, String(clients)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
}
for (let index = 0; index < 300; index += 1) await bench.gateway.receive(message('group', `warm ${index}`, { isGroup: true }));
const started = performance.now();
for (let index = 0; index < 3000; index += 1)
  await bench.gateway.receive(message('group', `chatter ${index}`, { isGroup: true }));
console.log(clients, 'clients:', Math.round(3000 / ((performance.now() - started) / 1000)), '/s');
child?.kill('SIGTERM');
await server.close();
await bench.close();
