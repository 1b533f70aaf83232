import { performance } from 'node:perf_hooks';
import { message, setup } from './gateway-setup.mjs';

const bench = await setup();
await bench.wire('dm');
const samples = [];
for (let index = 0; index < 600; index += 1) {
  const before = bench.requestTimes.length;
  const started = performance.now();
  await bench.gateway.receive(message('dm', `question ${index}`));
  await bench.channel.waitForSends(index + 1);
  if (index >= 100) samples.push((bench.requestTimes[before] ?? Number.NaN) - started);
}
await bench.close();
samples.sort((a, b) => a - b);
console.log(
  'p50',
  samples[Math.floor(samples.length / 2)].toFixed(2),
  'p99',
  samples[Math.floor(samples.length * 0.99)].toFixed(2),
);
