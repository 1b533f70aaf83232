import { type Logger, SandboxError } from '@ngb/plugin-sdk';
import type { AttachedStdio } from './engine-attach';
import type { EngineClient } from './engine-client';
import type { ContainerCreateOptions } from './engine-types';
import { type DockerErrorContext, mapDockerError } from './map-docker-error';
import type { SandboxInstance } from './pooled-sandbox';
import { openSandboxChannel } from './sandbox-channel';
import { createStderrTail } from './stderr-tail';

/** What {@link startDockerSandbox} needs. */
export interface DockerSandboxStart {
  engine: EngineClient;
  createOptions: ContainerCreateOptions;
  errorContext: DockerErrorContext;
  helloTimeoutMs: number;
  defaultTimeoutMs: number;
  memoryMb: number;
  logger: Logger;
  /** Called once the container exists (or its creation failed). */
  created?: () => Promise<void>;
}

/**
 * Creates the container, attaches to its stdio once (every call then travels over this one
 * connection), starts it and waits for the sandbox's hello.
 */
export async function startDockerSandbox(input: DockerSandboxStart): Promise<SandboxInstance> {
  const context = (operation: string): DockerErrorContext => ({ ...input.errorContext, operation });
  const { engine } = input;
  let id: string;
  try {
    id = await engine.createContainer(input.createOptions);
  } catch (error) {
    throw mapDockerError(error, context('creating the sandbox container'));
  } finally {
    await input.created?.();
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= engine.removeContainer(id).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        // 404: already gone; 409: removal already in progress.
        if (error?.statusCode !== 404 && error?.statusCode !== 409)
          throw mapDockerError(error, context('removing the sandbox container'));
      },
    );
    return stopping;
  };

  let stdio: AttachedStdio | undefined;
  try {
    stdio = await engine.attachContainer(id);
    const { failure } = stdio;
    const stderr = createStderrTail(stdio.stderr, input.logger);
    const channel = openSandboxChannel({
      input: stdio.stdout,
      output: stdio.stdin,
      helloTimeoutMs: input.helloTimeoutMs,
      defaultTimeoutMs: input.defaultTimeoutMs,
      logger: input.logger,
      diagnoseEnd: () => diagnose(engine, id, input.memoryMb, stderr.describe(), stopping !== undefined, failure()),
    });
    await engine.startContainer(id).catch((error: unknown) => {
      throw mapDockerError(error, context('starting the sandbox container'));
    });
    const hello = await channel.hello;
    if (hello.outOfToolsReach !== true) {
      throw new SandboxError(
        'protocol',
        `[@ngb/runtime] the sandbox image "${input.errorContext.image}" is older than this runtime: its tool server does not ` +
          `prove that the tools it runs cannot forge its answers. Rebuild it with ${input.errorContext.imageBuildHint}.`,
      );
    }
    return { id, channel, stop };
  } catch (error) {
    stdio?.close();
    await stop().catch(() => {});
    throw mapDockerError(error, context('starting the sandbox'));
  }
}

async function diagnose(
  engine: EngineClient,
  id: string,
  memoryMb: number,
  stderr: string,
  stopped: boolean,
  streamFailure: SandboxError | undefined,
): Promise<SandboxError> {
  if (stopped) return new SandboxError('closed', '[@ngb/runtime] the sandbox container was stopped');
  if (streamFailure) return streamFailure;
  const inspected = await engine.inspectContainer(id).catch(() => undefined);
  if (!inspected)
    return new SandboxError('crashed', `[@ngb/runtime] the sandbox container ${id.slice(0, 12)} was removed${stderr}`);
  const state = inspected.State;
  if (state.OOMKilled) {
    return new SandboxError(
      'out_of_memory',
      `[@ngb/runtime] the sandbox ran out of memory (limit ${memoryMb} MiB) and was killed${stderr}`,
    );
  }
  const how = state.Running ? 'closed its output' : `exited with code ${state.ExitCode}${state.Error ? ` (${state.Error})` : ''}`;
  return new SandboxError('crashed', `[@ngb/runtime] the sandbox container ${id.slice(0, 12)} ${how}${stderr}`);
}
