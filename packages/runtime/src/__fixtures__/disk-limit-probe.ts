// Acquires one sandbox with a disk limit and prints how that went as one JSON line. Run as a
// user other than root, it shows that the runtime refuses rather than running without a limit.
import { SandboxError } from '@ngb/plugin-sdk';
import { createDockerRuntime } from '../docker-runtime';

const [imageFolder, agentFolder, image] = process.argv.slice(2) as [string, string, string];
const runtime = createDockerRuntime({ image, namespace: `test-probe-${process.pid}`, diskLimit: { imageFolder } });
try {
  const sandbox = await runtime.acquire({ sessionId: 'probe', agentFolder, agentName: 'Probe', isMain: false });
  process.stdout.write(`${JSON.stringify({ started: sandbox.id })}\n`);
} catch (error) {
  const reason = SandboxError.isInstance(error) ? error.reason : undefined;
  process.stdout.write(`${JSON.stringify({ reason, message: (error as Error).message })}\n`);
} finally {
  await runtime.close();
}
