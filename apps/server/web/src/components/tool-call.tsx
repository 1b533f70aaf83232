import { duration, show } from '../format';
import type { ToolCallView } from '../types';

function inputSummary(input: unknown): string {
  if (input && typeof input === 'object' && 'command' in input && typeof input.command === 'string') return input.command;
  const text = show(input);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** A tool call block; open by default while it runs so its progress is visible. */
export function ToolCall(props: { call: ToolCallView }) {
  const { call } = props;
  const state = !call.done ? 'running' : call.isError ? 'failed' : 'done';
  return (
    <details class={`tool-call tool-${state}`} data-tool={call.name} open={!call.done || call.isError}>
      <summary>
        <span class="tool-icon" aria-hidden="true">
          {state === 'running' ? '' : state === 'failed' ? '!' : '✓'}
        </span>
        <span class="tool-name">{call.name}</span>
        <code class="tool-input">{inputSummary(call.input)}</code>
        <span class="tool-time">{call.done ? duration(call.durationMs) : 'running…'}</span>
      </summary>
      <div class="tool-body">
        <div class="tool-section">Input</div>
        <pre>{show(call.input)}</pre>
        {call.output !== undefined && (
          <>
            <div class="tool-section">{call.isError ? 'Error' : 'Output'}</div>
            <pre class="tool-output">{call.output === '' ? '(no output)' : call.output}</pre>
          </>
        )}
      </div>
    </details>
  );
}
