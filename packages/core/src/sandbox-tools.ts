import { SandboxError, type SandboxToolDefinition, type Tool } from '@ngb/plugin-sdk';
import { isFatalToTurn } from './sandbox-fatal';

/** Turns a sandbox tool's JSON output into the text the model reads. */
function formatSandboxOutput(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output && typeof output === 'object' && 'exitCode' in output) {
    const { stdout, stderr, exitCode } = output as { stdout?: unknown; stderr?: unknown; exitCode?: unknown };
    const parts = [`exit code: ${String(exitCode)}`];
    if (typeof stdout === 'string' && stdout !== '') parts.push(`stdout:\n${stdout}`);
    if (typeof stderr === 'string' && stderr !== '') parts.push(`stderr:\n${stderr}`);
    return parts.join('\n');
  }
  return JSON.stringify(output, null, 2) ?? '';
}

/** A turn's sandbox tools as {@link Tool}s that run in the session's sandbox. */
export function createSandboxTools(definitions: readonly SandboxToolDefinition[], timeoutMs: number): Tool[] {
  return definitions.map((definition) => ({
    name: definition.name,
    description: definition.description,
    inputSchema: definition.inputSchema,
    where: 'sandbox' as const,
    async execute(input, context) {
      const sandbox = await context.sandbox();
      try {
        const result = await sandbox.call(definition.name, input, {
          timeoutMs,
          signal: context.signal,
          turnId: context.turnId,
        });
        const isError =
          typeof result.output === 'object' &&
          result.output !== null &&
          'exitCode' in result.output &&
          result.output.exitCode !== 0;
        return { output: formatSandboxOutput(result.output), isError };
      } catch (error) {
        if (SandboxError.isInstance(error) && !isFatalToTurn(error)) {
          return { output: `${error.reason}: ${error.message}`, isError: true };
        }
        throw error;
      }
    },
  }));
}
