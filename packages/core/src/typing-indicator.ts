import { type Address, canType } from '@ngb/plugin-sdk';
import type { TurnRunnerOptions } from './turn-runner';

/** Shows the typing indicator in the chat a turn answers, renewed until stopped. */
export function startTyping(context: TurnRunnerOptions, origin: Address | undefined): { stop: () => void } {
  const adapter = origin ? context.channels.get(origin.channel) : undefined;
  if (!origin || !adapter || !canType(adapter)) return { stop: () => undefined };
  let timer: ReturnType<typeof context.clock.setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    adapter.sendTyping(origin).catch(() => undefined);
    timer = context.clock.setTimeout(tick, context.settings.typingIntervalMs);
  };
  tick();
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) context.clock.clearTimeout(timer);
    },
  };
}
