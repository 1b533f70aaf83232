import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { it } from 'vitest';
import { createFakeLlmServer } from './fake-llm-server';

it('smoke', async () => {
  const server = await createFakeLlmServer();
  server.script([{ type: 'reply', text: 'Hello there', toolCalls: [{ name: 'bash', input: { command: 'ls' } }] }, { type: 'reply', text: 'Hello there', toolCalls: [{ name: 'bash', input: { command: 'ls' } }] }]);
  const anthropic = new Anthropic({ apiKey: 'k', baseURL: server.url, logLevel: 'debug' });
  const stream = anthropic.messages.stream({ model: 'fake-model', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  console.log(JSON.stringify(await stream.finalMessage()));
  const openai = new OpenAI({ apiKey: 'k', baseURL: `${server.url}/v1` });
  const s2 = openai.chat.completions.stream({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
  console.log(JSON.stringify(await s2.finalChatCompletion()));
  console.log(JSON.stringify(server.requests().map((r) => ({ ...r, body: undefined }))));
  await server.close();
});
