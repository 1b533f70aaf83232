import { request } from 'node:http';

function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ socketPath: '/var/run/docker.sock', path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    probe.on('error', () => resolve(false));
    probe.on('timeout', () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}

/**
 * Whether a Docker engine answers, for the core's end-to-end tests. Under CI=true a missing engine is an
 * error, never a skip; elsewhere the test file says once why it is skipped.
 */
export async function dockerEngineFor(what: string): Promise<boolean> {
  const engine = await dockerAnswers();
  if (!engine) {
    if (process.env.CI === 'true') throw new Error(`the ${what} needs a Docker engine: run \`bash .ci/docker.sh\``);
    console.warn(`core ${what} skipped: no Docker engine answers at /var/run/docker.sock`);
  }
  return engine;
}
