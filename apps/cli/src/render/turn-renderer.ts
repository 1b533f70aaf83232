import { colors } from '../colors';
import type { TurnEvent } from '../conversation/turn-watcher';
import { formatDuration, oneLine } from './format';

/** Where a renderer writes: the answer's text, and notes about tools and the sandbox. */
export interface TurnOutput {
  text(chunk: string): void;
  note(line: string): void;
}

/** What a tool call was asked to do, in a few words. */
export function summarizeToolInput(input: unknown): string {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const pick = ['command', 'path', 'pattern', 'query', 'to', 'name'].find((key) => typeof fields[key] === 'string');
  if (pick !== undefined) return oneLine(String(fields[pick]), 120);
  return oneLine(JSON.stringify(input ?? {}), 120);
}

/** Shows a turn as it happens: text as it streams, each tool call when it starts and ends. */
export function createTurnRenderer(output: TurnOutput): { onEvent(event: TurnEvent): void; finish(): void } {
  let atLineStart = true;
  const note = (line: string) => {
    if (!atLineStart) output.text('\n');
    atLineStart = true;
    output.note(line);
  };
  return {
    onEvent(event) {
      switch (event.type) {
        case 'text.delta':
          output.text(event.text);
          atLineStart = event.text.endsWith('\n');
          break;
        case 'tool.start':
          note(colors.cyan(`  ⚙ ${event.name}`) + colors.dim(`  ${summarizeToolInput(event.input)}`));
          break;
        case 'tool.end': {
          const mark = event.isError ? colors.red('  ✗') : colors.green('  ✓');
          const detail = event.isError ? `: ${oneLine(event.output, 160)}` : '';
          note(`${mark} ${event.name} ${colors.dim(formatDuration(event.durationMs))}${detail}`);
          break;
        }
        case 'sandbox.acquired':
          if (event.durationMs >= 50)
            note(colors.dim(`  ▸ sandbox ${event.sandboxId.slice(0, 12)} ready in ${formatDuration(event.durationMs)}`));
          break;
        default:
          break;
      }
    },
    finish() {
      if (!atLineStart) output.text('\n');
      atLineStart = true;
    },
  };
}
