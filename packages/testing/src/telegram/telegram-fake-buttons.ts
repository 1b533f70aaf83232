import type { FakeTelegramChats, FakeTelegramUser } from './telegram-fake-chats';
import { badRequest, type FakeTelegramParam } from './telegram-fake-http';

/** One inline keyboard button, as the bot sent it. */
export interface FakeTelegramButton {
  text: string;
  /** `callback_data`: what the bot gets back when the button is pressed. */
  data: string;
}

/** A person presses an inline keyboard button under a message of the bot. */
export interface FakeTelegramPressInput {
  chatId: number | string;
  /** The bot's message holding the keyboard. */
  messageId: number;
  /** The `callback_data` of the button pressed. */
  data: string;
  /** Who presses it. @default user 77, Ann */
  from?: Partial<FakeTelegramUser> & { id: number };
}

/**
 * Reads `reply_markup.inline_keyboard` as Telegram does: rows of buttons, each with a non-empty text
 * and a `callback_data` of 1 to 64 bytes (else `BUTTON_DATA_INVALID`). A JSON string (form bodies)
 * is read too. @returns the buttons in order, or undefined when there is no inline keyboard
 */
export function readInlineKeyboard(replyMarkup: FakeTelegramParam): FakeTelegramButton[] | undefined {
  if (replyMarkup === undefined || replyMarkup === null || replyMarkup === '') return undefined;
  let markup: unknown = replyMarkup;
  if (typeof markup === 'string') {
    try {
      markup = JSON.parse(markup);
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return undefined;
  const buttons: FakeTelegramButton[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    for (const button of row as Array<Record<string, unknown>>) {
      if (typeof button?.text !== 'string' || button.text === '')
        throw badRequest('text buttons are unallowed in the inline keyboard');
      const data = button.callback_data;
      if (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64) throw badRequest('BUTTON_DATA_INVALID');
      buttons.push({ text: button.text, data });
    }
  }
  return buttons;
}

/** Callback queries people made, which the bot must answer (`answerCallbackQuery`) once. */
export function createFakeTelegramCallbacks(chats: FakeTelegramChats, bot: FakeTelegramUser) {
  const open = new Set<string>();
  let next = 9_000_000_001;
  return {
    /** Builds the `callback_query` of an update for a press, checking the button exists. */
    press(input: FakeTelegramPressInput): Record<string, unknown> {
      const message = chats.message(input.chatId, input.messageId);
      if (!message || (message.from as FakeTelegramUser).id !== bot.id)
        throw new Error(`[@ngb/testing] no message ${input.messageId} of the bot in chat ${input.chatId}`);
      const buttons = readInlineKeyboard(message.reply_markup) ?? [];
      if (!buttons.some((button) => button.data === input.data))
        throw new Error(`[@ngb/testing] message ${input.messageId} has no button with callback_data "${input.data}"`);
      const id = String(next);
      next += 1;
      open.add(id);
      return {
        id,
        from: { is_bot: false, first_name: input.from ? `User ${input.from.id}` : 'Ann', id: 77, ...input.from },
        message,
        chat_instance: `-${String((message.chat as { id: number }).id).replace('-', '')}`,
        data: input.data,
      };
    },
    /** Answers a query once; an unknown or answered id is refused as Telegram does. */
    answer(id: string): void {
      if (!open.delete(id)) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    },
  };
}
