import { describeSandboxRuntimeContract } from '@ngb/plugin-sdk/testing/contracts';
import { createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

describeWithDocker('docker runtime', () => {
  describeSandboxRuntimeContract(
    'docker',
    async () => {
      const folders = await createAgentFolders('docker-contract');
      const runtime = createDockerRuntime({
        image: testImage,
        namespace: `test-contract-${process.pid}`,
        maxSandboxes: 20,
        diskLimit: 'unlimited',
      });
      return {
        runtime,
        createSpec: async (sessionId) => ({
          sessionId,
          agentFolder: await folders.make('agent'),
          agentName: 'Contract agent',
          isMain: false,
          limits: { memoryMb: 256 },
        }),
        teardown: () => folders.remove(),
      };
    },
    { testTimeoutMs: 45_000 },
  );
});
