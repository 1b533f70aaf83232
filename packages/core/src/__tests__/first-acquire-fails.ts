import { SandboxError, type SandboxRuntime } from '@ngb/plugin-sdk';
import { createLocalRuntime } from '@ngb/runtime';

/**
 * The local runtime, except that its first `acquire` fails as an engine that is not up yet would: a
 * turn that needs a sandbox fails once and is run again on the retry schedule.
 */
export function runtimeWhoseFirstAcquireFails(): SandboxRuntime {
  const local = createLocalRuntime({ maxSandboxes: 1 });
  let acquisitions = 0;
  return {
    ...local,
    acquire: async (spec, options) => {
      acquisitions += 1;
      if (acquisitions === 1) throw new SandboxError('engine_unavailable', '[@ngb/runtime] not yet');
      return local.acquire(spec, options);
    },
  };
}
