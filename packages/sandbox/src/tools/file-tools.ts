import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../tool-error';
import type {
  EditFileInput,
  EditFileOutput,
  ReadFileInput,
  ReadFileOutput,
  WriteFileInput,
  WriteFileOutput,
} from '../tool-schemas';
import { displayPath, resolveWorkspacePath } from '../workspace-paths';
import { stoppedError, type ToolContext } from './tool-context';

const defaultLineLimit = 2000;
const maxLineChars = 2000;

/** Reads lines `offset .. offset + limit - 1` of a text file, streaming so that large files stay cheap. */
export async function readFileTool(input: ReadFileInput, context: ToolContext): Promise<ReadFileOutput> {
  const file = await resolveWorkspacePath(context.workspace, input.path, { mustExist: true });
  await requireFile(file, input.path);
  await refuseBinary(file, input.path);
  const offset = input.offset ?? 1;
  const limit = input.limit ?? defaultLineLimit;
  const lines: string[] = [];
  let totalLines = 0;
  let keptChars = 0;
  let truncated = false;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const reader = process
    .getBuiltinModule('node:readline')
    .createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) {
    if (context.signal.aborted) break;
    totalLines += 1;
    if (totalLines < offset || lines.length >= limit) continue;
    if (keptChars >= context.maxOutputBytes) {
      truncated = true;
      continue;
    }
    const kept = line.length > maxLineChars ? `${line.slice(0, maxLineChars)} [line cut at ${maxLineChars} characters]` : line;
    if (kept !== line) truncated = true;
    lines.push(kept);
    keptChars += kept.length + 1;
  }
  stream.destroy();
  if (context.signal.aborted) throw stoppedError(context);
  const startLine = lines.length === 0 ? 0 : offset;
  const endLine = lines.length === 0 ? 0 : offset + lines.length - 1;
  return {
    path: displayPath(context.workspace, file),
    content: lines.join('\n'),
    startLine,
    endLine,
    totalLines,
    truncated: truncated || endLine < totalLines,
  };
}

/** Writes a whole file, creating missing directories. */
export async function writeFileTool(input: WriteFileInput, context: ToolContext): Promise<WriteFileOutput> {
  const file = await resolveWorkspacePath(context.workspace, input.path, { mustExist: false });
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new ToolError('tool_failed', `${input.path} is a directory`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, input.content, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ToolError('tool_failed', `cannot write ${input.path}: ${error.code ?? error.message}`);
  });
  return { path: displayPath(context.workspace, file), bytesWritten: Buffer.byteLength(input.content, 'utf8') };
}

/** Replaces exact text; refuses when it is missing, or not unique without `replaceAll`. */
export async function editFileTool(input: EditFileInput, context: ToolContext): Promise<EditFileOutput> {
  const file = await resolveWorkspacePath(context.workspace, input.path, { mustExist: true });
  await requireFile(file, input.path);
  const content = await readFile(file, 'utf8');
  const occurrences = countOccurrences(content, input.oldText);
  if (occurrences === 0) {
    throw new ToolError('tool_failed', `the text to replace was not found in ${input.path}; nothing was changed`);
  }
  if (occurrences > 1 && input.replaceAll !== true) {
    throw new ToolError(
      'tool_failed',
      `the text to replace occurs ${occurrences} times in ${input.path}; include more surrounding text to make it unique, or set replaceAll. Nothing was changed`,
    );
  }
  // split/join rather than String.replace: `$&` and friends in newText must stay literal.
  const updated = content.split(input.oldText).join(input.newText);
  await writeFile(file, updated, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ToolError('tool_failed', `cannot write ${input.path}: ${error.code ?? error.message}`);
  });
  return { path: displayPath(context.workspace, file), replacements: occurrences };
}

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (let index = text.indexOf(part); index !== -1; index = text.indexOf(part, index + part.length)) count += 1;
  return count;
}

async function requireFile(file: string, shownPath: string): Promise<void> {
  const stats = await stat(file);
  if (stats.isDirectory()) throw new ToolError('tool_failed', `${shownPath} is a directory; use list_files`);
  if (!stats.isFile()) throw new ToolError('tool_failed', `${shownPath} is not a regular file`);
}

async function refuseBinary(file: string, shownPath: string): Promise<void> {
  const stream = createReadStream(file, { start: 0, end: 8191 });
  let binary = false;
  for await (const chunk of stream) binary ||= (chunk as Buffer).includes(0);
  if (binary) throw new ToolError('tool_failed', `${shownPath} looks like a binary file`);
}
