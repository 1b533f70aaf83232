import {
  type ChannelAdapter,
  type Clock,
  canShowButtons,
  defineTool,
  type Question,
  type Store,
  type Tool,
} from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import type { EnqueueText } from './outbound';
import { choiceId, type Questions } from './questions';
import type { TurnInfo } from './turn-runner';
import type { RunUnitOfWork } from './unit-of-work';

/** How long a question waits when the agent names no timeout. */
const askUserDefaultTimeoutMs = 10 * 60_000;
/** The longest a question may wait, whatever the agent asks for. */
const askUserMaxTimeoutMs = 24 * 60 * 60_000;
const maxQuestionLength = 1_000;
const maxOptionLength = 100;

/** What the `ask_user` tool needs. */
export interface AskUserToolOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  clock: Clock;
  bus: Pick<EventBus, 'emit'>;
  enqueueText: EnqueueText;
  questions: Pick<Questions, 'whenEnded' | 'ended'>;
  /** The running channels by name: a channel with buttons gets buttons, others numbered options. */
  channels: ReadonlyMap<string, ChannelAdapter>;
}

type AskUserInput = {
  question: string;
  options: string[];
  default?: string;
  timeout_minutes?: number;
};

/** Checks the model's input; returns the reason it is refused, if it is. */
function refusal(input: AskUserInput): string | undefined {
  if (typeof input.question !== 'string' || input.question.trim() === '') return 'question must be a non-empty text';
  if (input.question.length > maxQuestionLength) return `question must be at most ${maxQuestionLength} characters`;
  if (!Array.isArray(input.options) || input.options.length < 2 || input.options.length > 10)
    return 'options must be a list of 2 to 10 texts';
  for (const option of input.options) {
    if (typeof option !== 'string' || option.trim() === '') return 'every option must be a non-empty text';
    if (option.length > maxOptionLength) return `every option must be at most ${maxOptionLength} characters`;
  }
  const labels = input.options.map((option) => option.trim().toLowerCase());
  if (new Set(labels).size !== labels.length) return 'options must differ from each other';
  if (input.default !== undefined && !labels.includes(String(input.default).trim().toLowerCase()))
    return 'default must be one of the options';
  if (input.timeout_minutes !== undefined && !(typeof input.timeout_minutes === 'number' && input.timeout_minutes > 0))
    return 'timeout_minutes must be a positive number';
  return undefined;
}

function outcome(question: Question): string {
  const chosen = question.answer === undefined ? undefined : question.options[question.answer];
  if (question.status === 'answered') return `answered: ${JSON.stringify(chosen)}`;
  return chosen === undefined
    ? 'no answer: the question timed out and had no default'
    : `no answer: the question timed out; the default ${JSON.stringify(chosen)} applies`;
}

/**
 * The `ask_user` host tool: asks the chat the turn answers a question with options and waits for
 * the answer (a button, or the option's number or text), without holding the session's sandbox.
 * The question is stored before it is sent, so a turn re-run after a restart waits on the same one.
 */
export function createAskUserTool(options: AskUserToolOptions, turn: TurnInfo): Tool {
  const { store, clock } = options;
  let asked = 0;

  return defineTool<AskUserInput>({
    name: 'ask_user',
    description:
      'Ask the person in this chat a question with 2 to 10 options and wait for their choice (buttons where the chat app has them, else numbered options). Returns the chosen option, or the default (or no answer) when nobody answers in time.',
    inputSchema: {
      type: 'object',
      properties: {
        question: { type: 'string', description: 'The question.' },
        options: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 10, description: 'The options, 2 to 10.' },
        default: { type: 'string', description: 'The option taken when nobody answers in time.' },
        timeout_minutes: { type: 'number', description: 'How long to wait (default 10, at most 1440).' },
      },
      required: ['question', 'options'],
    },
    where: 'host',
    async execute(input, context) {
      const refused = refusal(input);
      if (refused) return { output: `not asked: ${refused}`, isError: true };
      const origin = turn.origin;
      const chat = origin ? await store.chats.getByPlatformId(origin.channel, origin.chatId) : undefined;
      const adapter = origin ? options.channels.get(origin.channel) : undefined;
      if (!origin || !chat || !adapter)
        return { output: 'not asked: this turn answers no chat a person could answer in', isError: true };
      const key = `${turn.turnId}:ask:${asked++}`;
      const waiting = (await store.questions.listPending(chat.id)).find((question) => question.key !== key);
      if (waiting) {
        return {
          output: `not asked: another question is waiting for an answer in this chat (${JSON.stringify(waiting.text)}); ask again once it is answered`,
          isError: true,
        };
      }
      const labels = input.options.map((option) => option.trim());
      const defaultLabel = input.default === undefined ? undefined : String(input.default).trim().toLowerCase();
      const defaultOption =
        defaultLabel === undefined ? undefined : labels.findIndex((label) => label.toLowerCase() === defaultLabel);
      const timeoutMs = Math.min(
        input.timeout_minutes === undefined ? askUserDefaultTimeoutMs : input.timeout_minutes * 60_000,
        askUserMaxTimeoutMs,
      );
      const buttons = canShowButtons(adapter);
      let question = await options.runUnit(async (unit) => {
        const created = await unit.tx.questions.create({
          key,
          sessionId: turn.session.id,
          turnId: turn.turnId,
          agentId: turn.agent.id,
          chatId: chat.id,
          threadId: origin.threadId,
          text: input.question.trim(),
          options: labels,
          defaultOption,
          expiresAt: clock.now() + timeoutMs,
          createdAt: clock.now(),
        });
        // A turn re-run after a restart finds its question asked already: it is not sent twice.
        if (!created.inserted) return created.question;
        const asking = created.question;
        const numbered = labels.map((label, index) => `${index + 1}. ${label}`).join('\n');
        const text = buttons ? asking.text : `${asking.text}\n\n${numbered}\n\nReply with the number or the text of your choice.`;
        await options.enqueueText(unit, origin, text, key, {
          sessionId: turn.session.id,
          turnId: turn.turnId,
          format: 'plain',
          ...(buttons ? { choices: labels.map((label, index) => ({ id: choiceId(asking.id, index), label })) } : {}),
        });
        unit.after(() =>
          options.bus.emit({
            type: 'question.asked',
            questionId: asking.id,
            sessionId: turn.session.id,
            turnId: turn.turnId,
            text: asking.text,
            options: labels,
          }),
        );
        return asking;
      });
      if (question.status === 'pending') {
        const waiter = new AbortController();
        const ended = options.questions.whenEnded(question.id, AbortSignal.any([context.signal, waiter.signal]));
        const timer = clock.setTimeout(() => {
          void expire(question.id).catch(() => undefined);
        }, question.expiresAt - clock.now());
        try {
          const current = await store.questions.get(question.id);
          // Nobody needs the sandbox nor a turn slot while a person thinks: both go to others meanwhile.
          if (current?.status === 'pending') await (turn.waitForPerson ? turn.waitForPerson(ended) : ended);
        } finally {
          clock.clearTimeout(timer);
          waiter.abort();
          await ended.catch(() => undefined);
        }
        question = (await store.questions.get(question.id)) ?? question;
      }
      return { output: outcome(question) };
    },
  });

  async function expire(questionId: string): Promise<void> {
    const done = await store.questions.end(questionId, { status: 'expired', at: clock.now() });
    options.questions.ended(done);
  }
}
