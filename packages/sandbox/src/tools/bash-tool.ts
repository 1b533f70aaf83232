import { type ChildProcess, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { createOutputCapture, type OutputCapture } from '../output-capture';
import { killProcessGroup } from '../process-group';
import { ToolError } from '../tool-error';
import type { BashInput, BashOutput } from '../tool-schemas';
import { resolveWorkspacePath } from '../workspace-paths';
import { stoppedError, type ToolContext } from './tool-context';

/**
 * Runs `bash -c` in its own process group, so that a timeout or a cancel kills everything it
 * started. stdout and stderr are captured separately and capped.
 */
export async function runBash(input: BashInput, context: ToolContext): Promise<BashOutput> {
  const cwd = input.cwd
    ? await resolveWorkspacePath(context.workspace, input.cwd, { mustExist: true })
    : context.workspace.workingDirectory;
  const oomKillsBefore = await context.memoryProbe?.oomKills();
  const stdout = createOutputCapture(context.maxOutputBytes);
  const stderr = createOutputCapture(context.maxOutputBytes);

  const child = spawn('bash', ['-c', input.command], {
    cwd,
    env: context.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forward(child.stdout, stdout, 'stdout', context);
  forward(child.stderr, stderr, 'stderr', context);

  const onAbort = () => void killProcessGroup(child);
  context.signal.addEventListener('abort', onAbort, { once: true });
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve, reject) => {
      child.once('error', (error) => reject(new ToolError('tool_failed', `cannot start bash: ${error.message}`)));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    // Background jobs the script left behind die with it; then the pipes drain and close. A
    // process that left the group (setsid) may hold them open: stop waiting after a grace period.
    await killProcessGroup(child, 500);
    await closedOrAfter(child, 1000);
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }

  if (context.signal.aborted) {
    throw stoppedError(context, `; its processes were killed${partialOutput(stdout, stderr)}`);
  }
  const killed = exit.signal === 'SIGKILL' || exit.code === 137;
  if (killed && (await oomKillsIncreased(context, oomKillsBefore))) {
    const limit = await context.memoryProbe?.limitBytes();
    const limitText = limit === undefined ? '' : ` (limit ${Math.round(limit / 1024 / 1024)} MiB)`;
    throw new ToolError(
      'out_of_memory',
      `the command was killed because the sandbox ran out of memory${limitText}${partialOutput(stdout, stderr)}`,
    );
  }
  return {
    stdout: stdout.text(),
    stderr: stderr.text(),
    exitCode: exit.code,
    signal: exit.signal,
    truncated: stdout.truncated || stderr.truncated,
  };
}

function closedOrAfter(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.stdout?.closed !== false && child.stderr?.closed !== false) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve();
    }, graceMs);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function forward(stream: NodeJS.ReadableStream, capture: OutputCapture, name: 'stdout' | 'stderr', context: ToolContext): void {
  const decoder = new StringDecoder('utf8');
  stream.on('data', (chunk: Buffer) => {
    const before = capture.totalBytes;
    capture.push(chunk);
    if (!context.onProgress || before >= context.maxOutputBytes) return;
    const text = decoder.write(chunk.subarray(0, context.maxOutputBytes - before));
    if (text) context.onProgress(name, text);
  });
}

async function oomKillsIncreased(context: ToolContext, before: number | undefined): Promise<boolean> {
  if (before === undefined) return false;
  const after = await context.memoryProbe?.oomKills();
  return after !== undefined && after > before;
}

function partialOutput(stdout: OutputCapture, stderr: OutputCapture): string {
  const parts: string[] = [];
  if (stdout.totalBytes > 0) parts.push(`stdout so far:\n${tail(stdout.text())}`);
  if (stderr.totalBytes > 0) parts.push(`stderr so far:\n${tail(stderr.text())}`);
  return parts.length ? `; ${parts.join('\n')}` : '';
}

function tail(text: string, maxChars = 4000): string {
  return text.length <= maxChars ? text : `[...]${text.slice(-maxChars)}`;
}
