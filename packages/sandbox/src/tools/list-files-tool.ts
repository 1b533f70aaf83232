import { stat } from 'node:fs/promises';
import { walkFiles } from '../file-walker';
import { globToRegExp } from '../glob-pattern';
import { ToolError } from '../tool-error';
import type { ListFilesInput, ListFilesOutput } from '../tool-schemas';
import { resolveWorkspacePath } from '../workspace-paths';
import { stoppedError, type ToolContext } from './tool-context';

const maxFiles = 1000;

/** Lists the files below a directory whose relative paths match a glob. */
export async function listFilesTool(input: ListFilesInput, context: ToolContext): Promise<ListFilesOutput> {
  const directory = await resolveWorkspacePath(context.workspace, input.path ?? '.', { mustExist: true });
  if (!(await stat(directory)).isDirectory()) throw new ToolError('tool_failed', `${input.path} is not a directory`);
  const pattern = globToRegExp(input.pattern ?? '**/*');
  const files: string[] = [];
  let truncated = false;
  for await (const file of walkFiles(directory, context.signal)) {
    if (!pattern.test(file)) continue;
    if (files.length === maxFiles) {
      truncated = true;
      break;
    }
    files.push(file);
  }
  if (context.signal.aborted) throw stoppedError(context);
  return { files: files.sort(), truncated };
}
