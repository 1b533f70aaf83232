// A "gateway" in its own process: starts a Docker runtime from this package's sources, acquires
// one sandbox, prints its container id and then waits to be killed. Used to simulate a crash.
import { createDockerRuntime } from '../docker-runtime';

const [namespace, agentFolder, image] = process.argv.slice(2);
const runtime = createDockerRuntime({ namespace, image, diskLimit: 'unlimited' });
const sandbox = await runtime.acquire({ sessionId: 'before-crash', agentFolder: agentFolder as string, agentName: 'Crash', isMain: false });
await sandbox.call('bash', { command: 'true' });
process.stdout.write(`${sandbox.id}\n`);
setInterval(() => {}, 1000);
