import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sandboxSpecOf } from '@ngb/core';
import { fail } from '../cli-error';
import type { Conversation } from '../conversation/start-conversation';
import { printNote } from '../output';

/**
 * Opens an interactive bash in the conversation's sandbox container (starting it if needed) and
 * resolves when the user leaves it. Refused with the local runtime, which has no container.
 */
export async function attachSandbox(conversation: Conversation): Promise<number> {
  const { runtime, record, project } = conversation;
  if (runtime.driver !== 'docker') {
    fail(
      `--attach needs the Docker runtime: the local runtime has no container (its tools run on this machine in ${join(project.paths.agentsDir, record.agent.folder)})`,
    );
  }
  const { agent, session } = record;
  printNote(`starting the sandbox of session ${session.id.slice(0, 8)}...`);
  const sandbox = await runtime.runtime.acquire(
    sandboxSpecOf(agent, { sessionId: session.id, agentsDirectory: project.paths.agentsDir }),
  );
  try {
    printNote(`attached to container ${sandbox.id.slice(0, 12)} as uid 1000 in /workspace/agent; \`exit\` comes back`);
    const child = spawn('docker', ['exec', '-it', '-w', '/workspace/agent', sandbox.id, 'bash'], { stdio: 'inherit' });
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error) =>
        reject(new Error(`could not run \`docker exec\`: ${error.message} (is the docker CLI installed?)`)),
      );
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    sandbox.release();
  }
}
