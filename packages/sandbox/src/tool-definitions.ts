import type { JsonSchema, SandboxToolDefinition } from '@ngb/plugin-sdk';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { type SandboxToolName, sandboxToolInputSchemas, sandboxToolNames } from './tool-schemas';

const descriptions: Record<SandboxToolName, string> = {
  bash:
    'Run a bash script in the sandbox, in the agent folder. Returns stdout, stderr and the exit code. ' +
    'Long output is cut in the middle with a marker. The call has a time limit; its processes are killed when it passes.',
  read_file:
    'Read a text file. Returns up to `limit` lines starting at line `offset` (from 1), and the total number of lines; ' +
    'read long files in pieces.',
  write_file: 'Create or overwrite a file with the given content. Missing directories are created.',
  edit_file:
    'Replace an exact piece of text in a file. Refuses when the text is not found, or when it occurs more than once ' +
    'and replaceAll is not set: include more surrounding text to make it unique.',
  list_files: 'List files whose paths match a glob, relative to a directory. `.git` and `node_modules` are skipped.',
  grep: 'Search file contents for a regular expression. Returns matching lines with their file and line number.',
};

function toToolSchema(schema: v.GenericSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, { errorMode: 'throw' }) as Record<string, unknown>;
  return rest as JsonSchema;
}

/** The tools the sandbox offers, with JSON Schemas derived from the same schemas it validates with. */
export const sandboxToolDefinitions: readonly SandboxToolDefinition[] = Object.freeze(
  sandboxToolNames.map((name) =>
    Object.freeze({ name, description: descriptions[name], inputSchema: toToolSchema(sandboxToolInputSchemas[name]) }),
  ),
);
