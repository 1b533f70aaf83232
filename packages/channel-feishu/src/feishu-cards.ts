import type { MessageFormat } from '@ngb/plugin-sdk';
import { escapeFeishuText } from './convert-to-feishu-post';

/** How many message ids are remembered as cards; older ones are looked up again when edited. */
const rememberedCards = 1_000;

/**
 * A card holding a reply: Feishu updates a card (PATCH) as often as a streamed reply needs, where a
 * text or post message takes at most twenty edits. Markdown goes into the card's own markdown element;
 * `<at>` tags are neutralized in both formats, as in text messages (no agent text mentions everyone).
 */
export function cardOf(text: string, format: MessageFormat): Record<string, unknown> {
  const safe = escapeFeishuText(text);
  return {
    config: { wide_screen_mode: true, update_multi: true },
    elements: [
      format === 'markdown' ? { tag: 'markdown', content: safe } : { tag: 'div', text: { tag: 'plain_text', content: safe } },
    ],
  };
}

/**
 * Which sent messages are cards, so that an edit uses the call Feishu takes for them (PATCH for a
 * card, PUT for text and post). Bounded; a message it forgot (or sent before a restart) is looked up.
 */
export function createCardMemory(lookUp: (messageId: string) => Promise<string | undefined>) {
  const cards = new Set<string>();
  return {
    remember(messageId: string): void {
      cards.add(messageId);
      if (cards.size > rememberedCards) cards.delete(cards.values().next().value as string);
    },
    async isCard(messageId: string): Promise<boolean> {
      if (cards.has(messageId)) return true;
      return (await lookUp(messageId)) === 'interactive';
    },
  };
}
