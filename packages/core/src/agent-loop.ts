import {
  type Agent,
  type Clock,
  costOfUsage,
  errorMessage,
  errorName,
  type LlmMessage,
  type LlmProvider,
  type LlmRequest,
  type LlmStreamPart,
  type LlmToolCall,
  type Logger,
  type PriceLookup,
  type Sandbox,
  type Tool,
  type ToolContext,
  type ToolResult,
} from '@ngb/plugin-sdk';
import type { EventBus, TurnUsage } from './events';
import type { callModelWithRetries } from './model-call-retry';
import { callModelChain, type ModelChainPosition, type ModelRoute } from './model-chain';
import { isFatalToTurn } from './sandbox-fatal';

/** Settings that bound one turn. */
interface AgentLoopLimits {
  /** Model calls per turn before the loop is stopped. */
  maxSteps: number;
  /** Input + output tokens per turn before the loop is stopped. */
  maxTurnTokens: number;
}

/** Everything one run of the loop needs. */
export interface AgentLoopInput {
  agent: Agent;
  sessionId: string;
  turnId: string;
  provider: LlmProvider;
  system: string;
  /** The session transcript so far followed by the turn's new user message. */
  messages: LlmMessage[];
  tools: readonly Tool[];
  limits: AgentLoopLimits;
  signal: AbortSignal;
  bus: EventBus;
  logger: Logger;
  /** Times tool calls and the waits between retries of a model call. */
  clock: Clock;
  /** Waits before each retry of a failed model call (see {@link callModelWithRetries}). */
  retryDelaysMs: readonly number[];
  /** Builds the context handed to each tool. */
  toolContext: (tool: Tool) => ToolContext;
  /** New user messages that arrived while the turn ran; asked before every model call but the first. */
  pollFollowUps: () => Promise<string | undefined>;
  /** The price of the model that answered a call; the turn's cost is unknown when a call has none. */
  price: PriceLookup;
  /**
   * The models tried after `provider` and the agent's model, in order, when a call still fails with
   * a retryable error after its retries (see {@link callModelChain}). @default none
   */
  fallbacks?: readonly ModelRoute[];
  /** The model asked for first, when not the agent's own (a budget's cheaper model). */
  model?: string;
}

/** What a turn produced. */
export interface AgentLoopResult {
  /** Transcript entries added by this turn (the user messages included), in order. */
  added: LlmMessage[];
  /** The last text the model wrote. */
  finalText: string;
  /** Set when a limit stopped the loop. */
  stoppedBy?: 'steps' | 'tokens';
  usage: TurnUsage;
}

function requiredMissing(tool: Tool, input: Record<string, unknown>): string[] {
  return (tool.inputSchema.required ?? []).filter((key) => input[key] === undefined);
}

async function runTool(tool: Tool | undefined, call: LlmToolCall, input: AgentLoopInput): Promise<ToolResult> {
  if (!tool) return { output: `unknown tool "${call.name}"`, isError: true };
  const missing = requiredMissing(tool, call.input);
  if (missing.length > 0) return { output: `missing required input: ${missing.join(', ')}`, isError: true };
  try {
    return await tool.execute(call.input, input.toolContext(tool));
  } catch (error) {
    if (input.signal.aborted) throw error;
    if (isFatalToTurn(error)) throw error;
    return { output: `${errorName(error)}: ${errorMessage(error)}`, isError: true };
  }
}

type UsagePart = Extract<LlmStreamPart, { type: 'usage' }>;

/** One model call: its text streamed to the bus as it comes, its tool calls and usage collected. */
async function streamOnce(input: AgentLoopInput, provider: LlmProvider, request: LlmRequest) {
  let text = '';
  const toolCalls: LlmToolCall[] = [];
  const usageParts: UsagePart[] = [];
  try {
    for await (const part of provider.doStream(request)) {
      if (part.type === 'text-delta') {
        text += part.text;
        input.bus.emit({ type: 'text.delta', turnId: input.turnId, sessionId: input.sessionId, text: part.text });
      } else if (part.type === 'tool-call') {
        toolCalls.push({ id: part.id, name: part.name, input: part.input });
      } else if (part.type === 'usage') {
        usageParts.push(part);
      }
    }
  } catch (error) {
    // The call is sent again from the start (or the turn ends): what it streamed so far is void,
    // so a streamed reply takes it back rather than showing it twice.
    if (text.length > 0)
      input.bus.emit({ type: 'text.retracted', turnId: input.turnId, sessionId: input.sessionId, length: text.length });
    throw error;
  }
  return { text, toolCalls, usageParts };
}

/**
 * The agent loop of one turn: call the model, run the tools it asks for (in the sandbox or on the
 * host), add follow-up messages before each next call, and stop at the step or token limit. A
 * failed model call is retried here, in place (see {@link callModelWithRetries}), so the tools
 * already run in this turn are not run again.
 */
export async function runAgentLoop(input: AgentLoopInput): Promise<AgentLoopResult> {
  const { bus, sessionId, turnId } = input;
  const messages = [...input.messages];
  const added: LlmMessage[] = messages.length > 0 ? [messages[messages.length - 1] as LlmMessage] : [];
  const usage: TurnUsage = { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 };
  const toolsByName = new Map(input.tools.map((tool) => [tool.name, tool]));
  const definitions = input.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  let finalText = '';
  const routes: ModelRoute[] = [
    { provider: input.provider, model: input.model ?? input.agent.model.model },
    ...(input.fallbacks ?? []),
  ];
  const position: ModelChainPosition = { index: 0 };

  for (let step = 0; step < input.limits.maxSteps; step += 1) {
    if (step > 0) {
      const followUp = await input.pollFollowUps();
      if (followUp !== undefined) {
        const message: LlmMessage = { role: 'user', content: followUp };
        messages.push(message);
        added.push(message);
      }
    }
    const request: LlmRequest = {
      system: input.system,
      messages: [...messages],
      tools: definitions,
      maxTokens: input.agent.model.maxTokens,
      temperature: input.agent.model.temperature,
      signal: input.signal,
    };
    const { text, toolCalls, usageParts } = await callModelChain(
      routes,
      position,
      (route) => streamOnce(input, route.provider, { ...request, model: route.model }),
      { delaysMs: input.retryDelaysMs, clock: input.clock, logger: input.logger, signal: input.signal },
      (fallback) => {
        input.logger.warn('model call failed after its retries; falling back', { ...fallback });
        bus.emit({ type: 'model.fallback', turnId, sessionId, agentId: input.agent.id, ...fallback });
      },
    );
    const answeredBy = routes[position.index]?.model;
    for (const part of usageParts) {
      usage.inputTokens += part.inputTokens;
      usage.outputTokens += part.outputTokens;
      usage.cacheTokens += (part.cacheReadTokens ?? 0) + (part.cacheWriteTokens ?? 0);
      // Priced by the model that answered (a dated snapshot, a fallback), not only the one asked for.
      const model = part.model ?? answeredBy;
      if (model !== undefined) usage.model = model;
      const price = model === undefined ? undefined : input.price(model);
      usage.costUsd = price === undefined || usage.costUsd === null ? null : usage.costUsd + costOfUsage(price, part);
    }
    const assistant: LlmMessage =
      toolCalls.length > 0 ? { role: 'assistant', content: text, toolCalls } : { role: 'assistant', content: text };
    messages.push(assistant);
    added.push(assistant);
    if (text.trim() !== '') finalText = text;
    if (toolCalls.length === 0) return { added, finalText, usage };

    for (const call of toolCalls) {
      const started = input.clock.now();
      bus.emit({ type: 'tool.start', turnId, sessionId, callId: call.id, name: call.name, input: call.input });
      const result = await runTool(toolsByName.get(call.name), call, input);
      bus.emit({
        type: 'tool.end',
        turnId,
        sessionId,
        callId: call.id,
        name: call.name,
        durationMs: input.clock.now() - started,
        isError: result.isError === true,
        output: result.output.slice(0, 2000),
      });
      const toolMessage: LlmMessage = {
        role: 'tool',
        toolCallId: call.id,
        content: result.output,
        isError: result.isError === true,
      };
      messages.push(toolMessage);
      added.push(toolMessage);
    }
    if (usage.inputTokens + usage.outputTokens > input.limits.maxTurnTokens) {
      return {
        added,
        finalText: `Stopped: this turn used more than ${input.limits.maxTurnTokens} tokens.`,
        stoppedBy: 'tokens',
        usage,
      };
    }
  }
  return { added, finalText: `Stopped after ${input.limits.maxSteps} steps without a final answer.`, stoppedBy: 'steps', usage };
}

/** A lazily acquired sandbox for one turn, released at the end. */
export function lazySandbox(acquire: () => Promise<Sandbox>): { get: () => Promise<Sandbox>; release: () => void } {
  let pending: Promise<Sandbox> | undefined;
  return {
    get: () => {
      pending ??= acquire();
      return pending;
    },
    release: () => {
      pending?.then((sandbox) => sandbox.release()).catch(() => undefined);
      pending = undefined;
    },
  };
}
