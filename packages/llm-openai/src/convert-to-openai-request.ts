import type { LlmMessage, LlmRequest } from '@ngb/plugin-sdk';
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ResolvedOpenAIProviderOptions } from './openai-options';

/** How a failed tool result is marked, since Chat Completions has no error flag. */
const toolErrorPrefix = 'Error: ';

function convertMessage(message: LlmMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: message.isError === true ? `${toolErrorPrefix}${message.content}` : message.content,
      };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      };
    }
  }
}

/** The streaming Chat Completions body of a request, with the provider's defaults filled in. */
export function convertToOpenAIRequest(
  request: LlmRequest,
  options: ResolvedOpenAIProviderOptions,
): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  const system = request.system ?? options.system;
  if (system !== undefined && system !== '') messages.push({ role: 'system', content: system });
  messages.push(...request.messages.map(convertMessage));
  const body: ChatCompletionCreateParamsStreaming = {
    model: request.model ?? options.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const maxTokens = request.maxTokens ?? options.maxTokens;
  if (maxTokens !== undefined) body[options.maxTokensField] = maxTokens;
  const temperature = request.temperature ?? options.temperature;
  if (temperature !== undefined) body.temperature = temperature;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): ChatCompletionTool => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      }),
    );
  }
  return body;
}
