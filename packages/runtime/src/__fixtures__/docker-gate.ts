import { openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, it } from 'vitest';

/** The sandbox image the Docker tests run: `NGB_TEST_IMAGE`, or the one the build script tags latest. */
export const testImage = process.env.NGB_TEST_IMAGE || 'ngb-agent:latest';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });

async function probe(): Promise<{ engine: boolean; image: boolean; why: string }> {
  const answered = await Promise.race([
    docker.ping().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
  ]);
  if (!answered) return { engine: false, image: false, why: 'the Docker engine does not answer at /var/run/docker.sock' };
  const image = await docker
    .getImage(testImage)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  return { engine: true, image, why: image ? '' : `the image ${testImage} is missing` };
}

const state = await probe();
let announced = false;

/** True for the first test file of this vitest run to ask (files run in separate worker processes). */
function firstToAnnounce(): boolean {
  try {
    openSync(path.join(os.tmpdir(), `ngb-docker-skip-notice-${process.ppid}`), 'wx');
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for tests against the real engine. Off CI, a missing engine skips them with one line
 * saying why; under CI=true (and whenever the engine answers but the image is missing) they fail.
 */
export function describeWithDocker(name: string, body: () => void): void {
  if (state.engine && state.image) {
    // Containers start in well under a second, but a loaded CI machine deserves slack.
    describe(name, { timeout: 60_000 }, body);
    return;
  }
  if (!state.engine && process.env.CI !== 'true') {
    if (!announced && firstToAnnounce()) {
      announced = true;
      console.log(`[@ngb/runtime tests] skipping the Docker tests: ${state.why} (start it with \`dockerd\` or \`bash .ci/docker.sh\`)`);
    }
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    it('needs a running Docker engine and the sandbox image', () => {
      throw new Error(
        `${state.why}. Start the engine (\`bash .ci/docker.sh\`) and build the image (\`pnpm build && node container-images/agent/build.mjs\`).`,
      );
    });
  });
}

/** A dockerode client for checks from the host side. */
export function hostDocker(): Docker {
  return docker;
}
