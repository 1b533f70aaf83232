import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { LlmMessage, LlmRequest } from '@ngb/plugin-sdk';
import type { ResolvedAnthropicProviderOptions } from './anthropic-options';

type UserBlock = Extract<ContentBlockParam, { type: 'text' | 'tool_result' }>;
type AssistantBlock = Extract<ContentBlockParam, { type: 'text' | 'tool_use' }>;

function blocksOf(message: LlmMessage): { role: 'user'; blocks: UserBlock[] } | { role: 'assistant'; blocks: AssistantBlock[] } {
  switch (message.role) {
    case 'user':
      return { role: 'user', blocks: message.content === '' ? [] : [{ type: 'text', text: message.content }] };
    case 'tool': {
      const block: UserBlock = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
      return { role: 'user', blocks: [message.isError === true ? { ...block, is_error: true } : block] };
    }
    case 'assistant': {
      const blocks: AssistantBlock[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
      for (const call of message.toolCalls ?? [])
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
      return { role: 'assistant', blocks };
    }
  }
}

/**
 * The transcript in Messages API form: consecutive messages of one role merged into one turn (tool
 * results are user turns), tool results first in their turn, empty turns dropped.
 */
function convertToAnthropicMessages(messages: LlmMessage[]): MessageParam[] {
  const turns: Array<{ role: 'user' | 'assistant'; blocks: Array<UserBlock | AssistantBlock> }> = [];
  for (const message of messages) {
    const { role, blocks } = blocksOf(message);
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks: [...blocks] });
  }
  return turns.map(({ role, blocks }): MessageParam => {
    if (role === 'assistant') return { role, content: blocks };
    const ordered = [
      ...blocks.filter((block) => block.type === 'tool_result'),
      ...blocks.filter((block) => block.type !== 'tool_result'),
    ];
    const only = ordered[0];
    return { role, content: ordered.length === 1 && only?.type === 'text' ? only.text : ordered };
  });
}

/** The streaming Messages API body of a request, with the provider's defaults filled in. */
export function convertToAnthropicRequest(
  request: LlmRequest,
  options: ResolvedAnthropicProviderOptions,
): MessageCreateParamsStreaming {
  const body: MessageCreateParamsStreaming = {
    model: request.model ?? options.model,
    max_tokens: request.maxTokens ?? options.maxTokens,
    messages: convertToAnthropicMessages(request.messages),
    stream: true,
  };
  const system = request.system ?? options.system;
  if (system !== undefined && system !== '') body.system = system;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): Tool => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema as Tool.InputSchema }),
    );
  }
  return body;
}
