import { SandboxError } from '@ngb/plugin-sdk';

/**
 * The one rule for sandbox failures: those that no tool call can get past (no engine, no image)
 * end the turn, so it is retried later and the chat is told; every other sandbox failure is a
 * tool error the model reads and may work around.
 */
export function isFatalToTurn(error: unknown): boolean {
  return SandboxError.isInstance(error) && (error.reason === 'engine_unavailable' || error.reason === 'image_missing');
}
