import { SandboxError } from '@ngb/plugin-sdk';

/** What the messages of {@link mapDockerError} need to know. */
export interface DockerErrorContext {
  /** What was being done, such as `creating the sandbox container`. */
  operation: string;
  /** The image the runtime uses. */
  image: string;
  /** Where the engine was expected, such as `/var/run/docker.sock`. */
  engineAddress: string;
  /** How to build the image, shown when it is missing. */
  imageBuildHint: string;
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** The error telling that the engine does not answer, with how to start it. */
export function engineUnavailableError(context: DockerErrorContext, cause?: unknown): SandboxError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'EACCES'
      ? 'permission denied on the socket: add your user to the `docker` group'
      : (code ?? (cause as Error | undefined)?.message ?? 'no answer');
  return new SandboxError(
    'engine_unavailable',
    `[@ngb/runtime] the Docker engine is not answering at ${context.engineAddress} (${why}). ` +
      'Start it with `sudo systemctl start docker` (or run `dockerd` in the background; on CI, `bash .ci/docker.sh`), ' +
      'or use the local runtime for development without isolation.',
    { cause },
  );
}

/** The error telling that the image is missing, with how to build it. */
export function imageMissingError(context: DockerErrorContext, cause?: unknown): SandboxError {
  return new SandboxError(
    'image_missing',
    `[@ngb/runtime] the sandbox image "${context.image}" is missing. Build it with ${context.imageBuildHint}.`,
    { cause },
  );
}

/** Turns an error of the engine client (`statusCode` and `json.message`, or a connection error) into a `SandboxError` whose message says what to do. */
export function mapDockerError(error: unknown, context: DockerErrorContext): SandboxError {
  if (SandboxError.isInstance(error)) return error;
  const record = error as { code?: string; statusCode?: number; message?: string; json?: { message?: string } } | undefined;
  if (record?.code === 'EACCES' || (record?.code !== undefined && unreachableCodes.has(record.code))) {
    return engineUnavailableError(context, error);
  }
  const message = record?.json?.message ?? record?.message ?? String(error);
  if (record?.statusCode === 404 && /no such image/i.test(message)) return imageMissingError(context, error);
  return new SandboxError('crashed', `[@ngb/runtime] ${context.operation} failed: ${message}`, { cause: error });
}
