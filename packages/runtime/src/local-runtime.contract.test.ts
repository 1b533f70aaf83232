import { describeSandboxRuntimeContract } from '@ngb/plugin-sdk/testing/contracts';
import { createAgentFolders } from './__fixtures__/agent-folders';
import { buildSandboxProgram } from './__fixtures__/sandbox-program';
import { createLocalRuntime } from './local-runtime';

describeSandboxRuntimeContract('local', async () => {
  const folders = await createAgentFolders('local-contract');
  const runtime = createLocalRuntime({ program: await buildSandboxProgram(), maxSandboxes: 20 });
  return {
    runtime,
    createSpec: async (sessionId) => ({
      sessionId,
      agentFolder: await folders.make('agent'),
      agentName: 'Contract agent',
      isMain: false,
    }),
    teardown: () => folders.remove(),
  };
});
