import type { LlmMessage, LlmToolDefinition } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { findRunCommand, plainText, replyByRules } from './llm-rules';

const bash: LlmToolDefinition = { name: 'bash', description: 'shell', inputSchema: { type: 'object' } };
const request = (messages: LlmMessage[], tools: LlmToolDefinition[] = [bash]) => ({
  model: 'fake-model',
  messages,
  tools,
  stream: true,
  receivedAt: 0,
});

describe('rule-based replies', () => {
  it('turns "run: <command>" into a bash tool call', () => {
    expect(replyByRules(request([{ role: 'user', content: 'run: git status --short' }]))).toEqual({
      type: 'reply',
      toolCalls: [{ name: 'bash', input: { command: 'git status --short' } }],
    });
  });

  it('finds the command inside the escaped XML the core sends', () => {
    const content =
      '<messages>\n<message sender="Ann" time="10:00">run: echo &quot;a &amp; b&quot; &gt; out.txt</message>\n</messages>';
    expect(findRunCommand(content)).toBe('echo "a & b" > out.txt');
  });

  it('echoes instead when no bash tool is offered', () => {
    expect(replyByRules(request([{ role: 'user', content: 'run: ls' }], []))).toEqual({ type: 'reply', text: 'echo: run: ls' });
  });

  it('quotes the tool results that end the transcript, naming each command', () => {
    const reply = replyByRules(
      request([
        { role: 'user', content: 'run: ls' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 't1', name: 'bash', input: { command: 'ls' } },
            { id: 't2', name: 'bash', input: { command: 'cat x' } },
          ],
        },
        { role: 'tool', toolCallId: 't1', content: 'a.txt\nb.txt' },
        { role: 'tool', toolCallId: 't2', content: 'No such file', isError: true },
      ]),
    );
    expect(reply).toEqual({ type: 'reply', text: '`ls` printed:\na.txt\nb.txt\n\n`cat x` failed:\nNo such file' });
  });

  it('echoes the last line of the last user message as plain text', () => {
    const reply = replyByRules(
      request([{ role: 'user', content: '<messages><message>hello &lt;world&gt;</message></messages>' }]),
    );
    expect(reply).toEqual({ type: 'reply', text: 'echo: hello <world>' });
  });

  it('decodes numeric entities', () => {
    expect(plainText('a&#233;b')).toBe('aéb');
  });
});
