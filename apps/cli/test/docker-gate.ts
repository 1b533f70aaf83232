import { describe, it } from 'vitest';
import { dockerStatus } from './cli-harness';

const status = await dockerStatus();

/**
 * `describe` for tests that need the Docker engine and the sandbox image. Under CI=true they must
 * be there (a missing one fails); elsewhere their absence skips the tests with one line saying why.
 */
export function describeWithDocker(name: string, body: () => void): void {
  if (status.ready) {
    describe(name, { timeout: 60_000 }, body);
    return;
  }
  if (process.env.CI !== 'true') {
    console.log(`[@ngb/cli tests] skipping "${name}": ${status.why} (start it with \`bash .ci/docker.sh\`)`);
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    it('needs the Docker engine and the sandbox image', () => {
      throw new Error(`${status.why}: start the engine and build the image (\`bash .ci/docker.sh\`, or \`ngb image build\`)`);
    });
  });
}
