import { PassThrough, type Writable } from 'node:stream';
import { type Logger, SandboxError } from '@ngb/plugin-sdk';
import type Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { type DockerErrorContext, mapDockerError } from './map-docker-error';
import type { SandboxInstance } from './pooled-sandbox';
import { openSandboxChannel } from './sandbox-channel';
import { createStderrTail } from './stderr-tail';

/** What {@link startDockerSandbox} needs. */
export interface DockerSandboxStart {
  docker: Docker;
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
  let container: Docker.Container;
  try {
    container = await input.docker.createContainer(input.createOptions);
  } catch (error) {
    throw mapDockerError(error, context('creating the sandbox container'));
  } finally {
    await input.created?.();
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= container.remove({ force: true }).then(
      () => undefined,
      (error: { statusCode?: number }) => {
        // 404: already gone; 409: removal already in progress.
        if (error?.statusCode !== 404 && error?.statusCode !== 409)
          throw mapDockerError(error, context('removing the sandbox container'));
      },
    );
    return stopping;
  };

  try {
    const stream = (await container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
    })) as NodeJS.ReadWriteStream & {
      destroyed?: boolean;
    };
    const stdout = new PassThrough();
    const stderrStream = new PassThrough();
    input.docker.modem.demuxStream(stream, stdout, stderrStream);
    const endOutputs = () => {
      stdout.end();
      stderrStream.end();
    };
    stream.once('end', endOutputs);
    stream.once('close', endOutputs);
    stream.on('error', endOutputs);
    const stderr = createStderrTail(stderrStream, input.logger);
    const channel = openSandboxChannel({
      input: stdout,
      output: stream as unknown as Writable,
      helloTimeoutMs: input.helloTimeoutMs,
      defaultTimeoutMs: input.defaultTimeoutMs,
      logger: input.logger,
      diagnoseEnd: () => diagnose(container, input.memoryMb, stderr.describe(), stopping !== undefined),
    });
    await container.start().catch((error: unknown) => {
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
    return { id: container.id, channel, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw mapDockerError(error, context('starting the sandbox'));
  }
}

async function diagnose(container: Docker.Container, memoryMb: number, stderr: string, stopped: boolean): Promise<SandboxError> {
  if (stopped) return new SandboxError('closed', '[@ngb/runtime] the sandbox container was stopped');
  const inspected = await container.inspect().catch(() => undefined);
  if (!inspected)
    return new SandboxError('crashed', `[@ngb/runtime] the sandbox container ${container.id.slice(0, 12)} was removed${stderr}`);
  const state = inspected.State;
  if (state.OOMKilled) {
    return new SandboxError(
      'out_of_memory',
      `[@ngb/runtime] the sandbox ran out of memory (limit ${memoryMb} MiB) and was killed${stderr}`,
    );
  }
  const how = state.Running ? 'closed its output' : `exited with code ${state.ExitCode}${state.Error ? ` (${state.Error})` : ''}`;
  return new SandboxError('crashed', `[@ngb/runtime] the sandbox container ${container.id.slice(0, 12)} ${how}${stderr}`);
}
