import { abandonTurn } from '@ngb/host';
import { CliExit, fail, interruptedExitCode, timeoutExitCode } from '../cli-error';
import { colors } from '../colors';
import type { runArgs } from '../commands/run-command';
import type { Flags } from '../define-command';
import { numberFlag } from '../number-flags';
import { printNote } from '../output';
import { parseRuntimeFlag } from '../parse-runtime-flag';
import { formatDuration, formatUsage, shortId } from '../render/format';
import { createTurnRenderer } from '../render/turn-renderer';
import { startConversation } from './start-conversation';
import { noUsage, type TurnOutcome } from './turn-watcher';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) printNote('reading the prompt from stdin; end it with Ctrl-D');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readPrompt(prompt: string | undefined): Promise<string> {
  let text: string;
  if (prompt === '-' || (prompt === undefined && !process.stdin.isTTY)) text = await readStdin();
  else if (prompt === undefined) fail('ngb run: pass the prompt with -p "..." (or -p - to read it from stdin)');
  else text = prompt;
  if (text.trim() === '') fail('ngb run: the prompt is empty');
  return text;
}

/**
 * `-e KEY=VALUE` flags as settings for the sandbox; secret-looking names and values are refused
 * before anything runs, and the refusal never repeats the value.
 */
async function parseEnvFlags(values: readonly string[]): Promise<Record<string, string>> {
  if (values.length === 0) return {};
  const { sandboxEnvProblem } = await import('@ngb/runtime');
  const advice = "(pass secrets to the gateway's config, never to tools)";
  const env: Record<string, string> = {};
  for (const argument of values) {
    const separator = argument.indexOf('=');
    if (separator <= 0) {
      if (sandboxEnvProblem('ARGUMENT', argument) !== undefined)
        fail(`ngb run: -e expects KEY=VALUE, got a secret-looking value ${advice}`);
      fail(`ngb run: -e expects KEY=VALUE, got "${argument}"`);
    }
    const name = argument.slice(0, separator);
    const value = argument.slice(separator + 1);
    const problem = sandboxEnvProblem(name, value);
    if (problem) fail(`ngb run: -e ${problem} ${advice}`);
    env[name] = value;
  }
  return env;
}

/** The longest `--timeout`, in seconds: a week (a timer cannot wait past 24.8 days). */
const maxTimeoutSeconds = 604_800;

type Ending = { kind: 'done'; outcome: TurnOutcome } | { kind: 'timeout' } | { kind: 'interrupted' };

/** Runs `ngb run`: one prompt through the agent, the answer on stdout. */
export async function executeRun(flags: Flags<typeof runArgs>): Promise<void> {
  const sandboxEnv = await parseEnvFlags(flags.env);
  const runtimeDriver = parseRuntimeFlag(flags.runtime);
  const timeoutSeconds = numberFlag('timeout', flags.timeout, { exclusiveMin: 0, max: maxTimeoutSeconds });
  const overrides = {
    model: flags.model,
    maxTokens: numberFlag('max-tokens', flags['max-tokens'], { integer: true, min: 1 }),
    temperature: numberFlag('temperature', flags.temperature, { min: 0, max: 2 }),
  };
  const prompt = await readPrompt(flags.prompt);
  const conversation = await startConversation({
    command: 'run',
    configOption: flags.config,
    debug: flags.debug,
    env: process.env,
    agentFolder: flags.agent,
    sandboxEnv,
    overrides,
    system: flags.system,
    runtimeDriver,
  });
  const { record } = conversation;
  const started = Date.now();
  let ending: Ending | undefined;
  const cleanups: Array<() => void> = [];
  try {
    const toStdout = flags.stream && !flags.json;
    const renderer = flags.stream
      ? createTurnRenderer({
          text: (chunk) => (toStdout ? process.stdout : process.stderr).write(chunk),
          note: (line) => process.stderr.write(`${line}\n`),
        })
      : undefined;
    const stopped = new Promise<Ending>((resolve) => {
      if (timeoutSeconds !== undefined) {
        const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutSeconds * 1000);
        cleanups.push(() => clearTimeout(timer));
      }
      const onSignal = () => resolve({ kind: 'interrupted' });
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      cleanups.push(
        () => process.off('SIGINT', onSignal),
        () => process.off('SIGTERM', onSignal),
      );
    });
    const turn = conversation.prompt(prompt, renderer?.onEvent).then((outcome): Ending => ({ kind: 'done', outcome }));
    ending = await Promise.race([turn, stopped]);
    renderer?.finish();
  } finally {
    for (const cleanup of cleanups) cleanup();
    const cutShort = ending === undefined || ending.kind !== 'done';
    await conversation.running.stop(cutShort ? 0 : 5_000).catch(() => undefined);
    if (ending !== undefined && ending.kind !== 'done') {
      const reason =
        ending.kind === 'timeout' ? `timed out after ${timeoutSeconds} s (ngb run --timeout)` : 'interrupted (ngb run)';
      const turnId = await abandonTurn(conversation.project.store, record.session.id, reason).catch(() => undefined);
      if (flags.json) printJson({ status: ending.kind, turnId, error: reason });
    }
    await conversation.close(0);
  }
  function printJson(partial: Partial<Omit<TurnOutcome, 'status'>> & { status: string }) {
    const text = partial.deliveries?.join('\n\n') ?? '';
    process.stdout.write(
      `${JSON.stringify({
        status: partial.status,
        text,
        sessionId: record.session.id,
        turnId: partial.turnId ?? null,
        agent: record.agent.folder,
        model: `${conversation.model.provider}/${overrides.model ?? conversation.model.model}`,
        runtime: conversation.runtime.driver,
        usage: partial.usage ?? noUsage(),
        toolCalls: partial.toolCalls ?? [],
        durationMs: partial.durationMs ?? Date.now() - started,
        ...(partial.error !== undefined ? { error: partial.error } : {}),
      })}\n`,
    );
  }
  if (ending === undefined) return;
  if (ending.kind === 'timeout')
    throw new CliExit(timeoutExitCode, `ngb run: timed out after ${timeoutSeconds} s; the turn was stopped`);
  if (ending.kind === 'interrupted') throw new CliExit(interruptedExitCode, 'ngb run: interrupted; the turn was stopped');
  const { outcome } = ending;
  if (flags.json) printJson(outcome);
  if (outcome.status === 'failed') throw new CliExit(1, `ngb run: the turn failed: ${outcome.error ?? 'unknown error'}`);
  if (outcome.status === 'dropped') throw new CliExit(1, `ngb run: the gateway ran no turn for the prompt (${outcome.error})`);
  if (!flags.json) {
    const extra = flags.stream
      ? outcome.deliveries.filter((text) => text.trim() !== outcome.finalText.trim())
      : outcome.deliveries;
    if (extra.length > 0) process.stdout.write(`${extra.join('\n\n')}\n`);
    if (process.stderr.isTTY) {
      printNote(
        `${colors.green('✓')} ${formatDuration(outcome.durationMs)} · ${formatUsage(outcome.usage)} · ${outcome.toolCalls.length} tool calls · session ${shortId(record.session.id)}`,
      );
    }
  }
}
