import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '@ngb/plugin-sdk';
import { walkFiles } from '../file-walker';
import { globToRegExp } from '../glob-pattern';
import { ToolError } from '../tool-error';
import type { GrepInput, GrepMatch, GrepOutput } from '../tool-schemas';
import { displayPath, resolveWorkspacePath } from '../workspace-paths';
import { stoppedError, type ToolContext } from './tool-context';

const defaultMaxResults = 200;
const maxLineChars = 500;
const maxFileBytes = 10 * 1024 * 1024;

/** Searches file contents with ripgrep when the sandbox has it, else with a walk in Node. */
export async function grepTool(input: GrepInput, context: ToolContext): Promise<GrepOutput> {
  const target = await resolveWorkspacePath(context.workspace, input.path ?? '.', { mustExist: true });
  const maxResults = input.maxResults ?? defaultMaxResults;
  const found = context.ripgrepPath
    ? await searchWithRipgrep(context.ripgrepPath, target, input, maxResults, context)
    : await searchWithNode(target, input, maxResults, context);
  if (context.signal.aborted) throw stoppedError(context);
  return {
    matches: found.matches.map((match) => ({ ...match, path: displayPath(context.workspace, match.path) })),
    truncated: found.truncated,
    engine: context.ripgrepPath ? 'ripgrep' : 'node',
  };
}

interface Found {
  matches: GrepMatch[];
  truncated: boolean;
}

function cut(text: string): string {
  const line = text.replace(/\r?\n$/, '');
  return line.length > maxLineChars ? `${line.slice(0, maxLineChars)} [cut]` : line;
}

async function searchWithRipgrep(
  ripgrep: string,
  target: string,
  input: GrepInput,
  maxResults: number,
  context: ToolContext,
): Promise<Found> {
  // The files the Node walk searches: hidden ones too, never .git or node_modules (later globs take
  // precedence), never through a symlink (ripgrep follows none by default). Unlike the walk, ripgrep
  // also leaves out what a git repository's .gitignore names.
  const args = ['--json', '--no-config', '--hidden'];
  if (input.ignoreCase) args.push('--ignore-case');
  if (input.glob) args.push('--glob', input.glob);
  args.push('--glob', '!.git/', '--glob', '!node_modules/');
  args.push('--regexp', input.pattern, '--', target);
  const child = spawn(ripgrep, args, { env: context.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => child.kill('SIGKILL');
  context.signal.addEventListener('abort', stop, { once: true });
  const matches: GrepMatch[] = [];
  let truncated = false;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new ToolError('tool_failed', `cannot run ripgrep: ${error.message}`)));
    child.once('close', (code) => resolve(code));
  });
  try {
    for await (const line of process.getBuiltinModule('node:readline').createInterface({ input: child.stdout })) {
      const event = parseRipgrepMatch(line);
      if (!event) continue;
      if (matches.length === maxResults) {
        truncated = true;
        stop();
        break;
      }
      matches.push(event);
    }
    const code = await exited;
    if (code === 2 && matches.length === 0 && !truncated && !context.signal.aborted) {
      throw new ToolError('invalid_input', `ripgrep refused the search: ${stderr.trim()}`);
    }
  } finally {
    context.signal.removeEventListener('abort', stop);
  }
  return { matches, truncated };
}

function parseRipgrepMatch(line: string): GrepMatch | undefined {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  const record = event as {
    type?: unknown;
    data?: { path?: { text?: unknown }; line_number?: unknown; lines?: { text?: unknown } };
  };
  if (record.type !== 'match') return undefined;
  const file = record.data?.path?.text;
  const lineNumber = record.data?.line_number;
  const text = record.data?.lines?.text;
  if (typeof file !== 'string' || typeof lineNumber !== 'number' || typeof text !== 'string') return undefined;
  return { path: file, line: lineNumber, text: cut(text) };
}

async function searchWithNode(target: string, input: GrepInput, maxResults: number, context: ToolContext): Promise<Found> {
  let expression: RegExp;
  try {
    expression = new RegExp(input.pattern, input.ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ToolError('invalid_input', `invalid regular expression: ${errorMessage(error)}`);
  }
  const fileFilter = input.glob ? globToRegExp(input.glob, { matchBaseName: true }) : undefined;
  const matches: GrepMatch[] = [];
  const targetStats = await stat(target);
  const files = targetStats.isDirectory() ? walkFiles(target, context.signal) : single(path.basename(target));
  const base = targetStats.isDirectory() ? target : path.dirname(target);
  for await (const relative of files) {
    if (fileFilter && !fileFilter.test(relative)) continue;
    const file = path.join(base, relative);
    // lstat: a symlink is not followed, or it could lead the search out of the workspace.
    const stats = await lstat(file).catch(() => undefined);
    if (!stats?.isFile() || stats.size > maxFileBytes || (await isBinary(file))) continue;
    if (await searchFile(file, expression, matches, maxResults)) return { matches, truncated: true };
    if (context.signal.aborted) break;
  }
  return { matches, truncated: false };
}

/** Adds the file's matching lines; returns true when more matched than `maxResults` allows. */
async function searchFile(file: string, expression: RegExp, matches: GrepMatch[], maxResults: number): Promise<boolean> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    let lineNumber = 0;
    for await (const line of process
      .getBuiltinModule('node:readline')
      .createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber += 1;
      if (!expression.test(line)) continue;
      if (matches.length === maxResults) return true;
      matches.push({ path: file, line: lineNumber, text: cut(line) });
    }
    return false;
  } finally {
    stream.destroy();
  }
}

async function* single(name: string): AsyncGenerator<string> {
  yield name;
}

async function isBinary(file: string): Promise<boolean> {
  for await (const chunk of createReadStream(file, { start: 0, end: 8191 })) {
    if ((chunk as Buffer).includes(0)) return true;
  }
  return false;
}
