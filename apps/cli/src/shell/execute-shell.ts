import { createInterface, type Interface } from 'node:readline';
import { abandonTurn } from '@ngb/host';
import { CliExit, interruptedExitCode } from '../cli-error';
import { colors } from '../colors';
import { type Conversation, startConversation } from '../conversation/start-conversation';
import type { TurnOutcome } from '../conversation/turn-watcher';
import { printLine } from '../output';
import { parseRuntimeFlag } from '../parse-runtime-flag';
import { formatDuration, formatUsage, shortId } from '../render/format';
import { describeTranscript } from '../render/transcript';
import { createTurnRenderer } from '../render/turn-renderer';
import { attachSandbox } from './attach-sandbox';
import { openShellHistory } from './shell-history';
import { describeSession, shellHelp } from './shell-text';

/** The flags of `ngb shell`. */
export interface ShellFlags {
  config: string | undefined;
  debug: boolean;
  agent: string | undefined;
  resume: string | undefined;
  attach: boolean;
  runtime: string | undefined;
}

/** Runs `ngb shell`: the REPL (or, with `--attach`, bash in the sandbox). */
export async function executeShell(flags: ShellFlags): Promise<void> {
  const conversation = await startConversation({
    command: 'shell',
    configOption: flags.config,
    debug: flags.debug,
    env: process.env,
    agentFolder: flags.agent,
    resumeId: flags.resume,
    runtimeDriver: parseRuntimeFlag(flags.runtime),
  });
  try {
    if (flags.attach) {
      const code = await attachSandbox(conversation);
      printLine(
        colors.dim(
          `session ${conversation.record.session.id}; talk in it with \`ngb shell --resume ${shortId(conversation.record.session.id)}\``,
        ),
      );
      if (code !== 0) throw new CliExit(code);
      return;
    }
    const { record, model, runtime } = conversation;
    const state = record.resumed ? `resumed` : 'new';
    printLine(
      `${colors.bold('ngb shell')} · agent ${record.agent.folder} · session ${shortId(record.session.id)} (${state}) · ` +
        `model ${model.provider}/${model.model} · runtime ${runtime.driver === 'docker' ? 'docker' : colors.yellow('local, NOT ISOLATED')}`,
    );
    if (record.resumed) {
      const entries = await conversation.project.store.transcript.list(record.session.id, { limit: 12 });
      const turns = await conversation.project.store.turns.listForSession(record.session.id, { limit: 10_000 });
      printLine(colors.dim(`Earlier in this session (${turns.length} turn${turns.length === 1 ? '' : 's'}):`));
      for (const line of describeTranscript(entries, record.agent.folder)) printLine(`  ${line}`);
    }
    printLine(colors.dim('Type a message, or /help. /exit or Ctrl-D leaves; the session stays for --resume.'));
    await repl(conversation);
  } finally {
    await conversation.close(5_000);
  }
}

async function repl(conversation: Conversation): Promise<void> {
  const { record, project } = conversation;
  const history = openShellHistory(project.paths.historyFile);
  const terminal = process.stdin.isTTY === true;
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal,
    history: history.initial,
    historySize: 1000,
  });
  rl.setPrompt(`${colors.bold(colors.cyan(`${record.agent.folder}>`))} `);
  let busy = false;
  let lastInterrupt = 0;
  let quit: ((code: number) => void) | undefined;
  const quitting = new Promise<number>((resolve) => {
    quit = resolve;
  });
  rl.on('SIGINT', () => {
    const now = Date.now();
    if (now - lastInterrupt < 2000) {
      if (busy) void stopNow(conversation);
      else quit?.(interruptedExitCode);
      return;
    }
    lastInterrupt = now;
    if (busy) printLine(colors.dim('\n(the turn keeps running; Ctrl-C again stops it and quits)'));
    else {
      rl.write(null, { ctrl: true, name: 'u' });
      printLine(colors.dim('\n(/exit or Ctrl-D leaves; Ctrl-C again quits)'));
      rl.prompt();
    }
  });
  let closingOnPurpose = false;
  rl.on('close', () => {
    if (!closingOnPurpose) process.stdout.write('\n');
    quit?.(0);
  });
  const lines = rl[Symbol.asyncIterator]();
  rl.prompt();
  for (;;) {
    const next = await Promise.race([lines.next(), quitting.then((code) => ({ done: true as const, value: code }))]);
    if (next.done) {
      closingOnPurpose = true;
      rl.close();
      if (typeof next.value === 'number' && next.value !== 0) throw new CliExit(next.value, 'ngb shell: interrupted');
      return;
    }
    const line = String(next.value).trim();
    if (line === '') {
      rl.prompt();
      continue;
    }
    history.add(line);
    busy = true;
    try {
      const keepGoing = await handleLine(conversation, rl, line);
      if (!keepGoing) {
        closingOnPurpose = true;
        rl.close();
        return;
      }
    } finally {
      busy = false;
    }
    rl.prompt();
  }
}

/** Ctrl-C twice during a turn: stop it (marked failed, so a later --resume does not rerun it) and leave. */
async function stopNow(conversation: Conversation): Promise<never> {
  printLine(colors.dim('stopping the turn...'));
  await conversation.running.stop(0).catch(() => undefined);
  await abandonTurn(conversation.project.store, conversation.record.session.id, 'interrupted (ngb shell)').catch(() => undefined);
  await conversation.close(0).catch(() => undefined);
  process.exit(interruptedExitCode);
}

async function handleLine(conversation: Conversation, rl: Interface, line: string): Promise<boolean> {
  const command = /^\/(\w+)\s*$/.exec(line)?.[1]?.toLowerCase();
  switch (command) {
    case undefined:
      break;
    case 'exit':
    case 'quit':
      return false;
    case 'help':
      for (const text of shellHelp()) printLine(text);
      return true;
    case 'session':
      for (const text of await describeSession(conversation)) printLine(text);
      return true;
    case 'attach':
      rl.pause();
      process.stdin.setRawMode?.(false);
      try {
        await attachSandbox(conversation).catch((error: Error) => printLine(colors.red(`✖ ${error.message}`)));
      } finally {
        process.stdin.setRawMode?.(true);
        rl.resume();
      }
      return true;
    case 'clear':
    case 'cost':
    case 'compact':
      break;
    default:
      printLine(colors.red(`✖ unknown command /${command}; /help lists them`));
      return true;
  }
  const renderer = createTurnRenderer({
    text: (chunk) => process.stdout.write(chunk),
    note: (text) => process.stdout.write(`${text}\n`),
  });
  let outcome: TurnOutcome;
  try {
    outcome = await conversation.prompt(line, renderer.onEvent);
  } finally {
    renderer.finish();
  }
  const extra = outcome.deliveries.filter((text) => text.trim() !== outcome.finalText.trim());
  if (outcome.status === 'failed') printLine(colors.red(`✖ the turn failed: ${outcome.error ?? 'unknown error'}`));
  else for (const text of extra) printLine(text);
  if (outcome.status !== 'dropped')
    printLine(colors.dim(`  ${formatDuration(outcome.durationMs)} · ${formatUsage(outcome.usage)}`));
  return true;
}
