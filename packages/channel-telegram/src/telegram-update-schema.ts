import * as v from 'valibot';

// The parts of Telegram's Update the adapter reads (https://core.telegram.org/bots/api#update). Loose:
// everything else passes through unread, and a payload missing what is read is not a message.

const userSchema = v.looseObject({
  id: v.number(),
  is_bot: v.optional(v.boolean()),
  first_name: v.optional(v.string()),
  last_name: v.optional(v.string()),
  username: v.optional(v.string()),
});

const chatSchema = v.looseObject({
  id: v.number(),
  type: v.string(),
  title: v.optional(v.string()),
  first_name: v.optional(v.string()),
  last_name: v.optional(v.string()),
  username: v.optional(v.string()),
});

const entitySchema = v.looseObject({
  type: v.string(),
  offset: v.number(),
  length: v.number(),
  user: v.optional(userSchema),
});

const fileSchema = v.looseObject({
  file_id: v.string(),
  file_size: v.optional(v.number()),
  file_name: v.optional(v.string()),
  mime_type: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
});

const baseMessage = {
  message_id: v.number(),
  date: v.number(),
  edit_date: v.optional(v.number()),
  chat: chatSchema,
  from: v.optional(userSchema),
  sender_chat: v.optional(chatSchema),
  text: v.optional(v.string()),
  caption: v.optional(v.string()),
  entities: v.optional(v.array(entitySchema)),
  caption_entities: v.optional(v.array(entitySchema)),
  message_thread_id: v.optional(v.union([v.number(), v.string()])),
  is_topic_message: v.optional(v.boolean()),
  quote: v.optional(v.looseObject({ text: v.string() })),
  photo: v.optional(v.array(fileSchema)),
  document: v.optional(fileSchema),
  audio: v.optional(fileSchema),
  video: v.optional(fileSchema),
  voice: v.optional(fileSchema),
  video_note: v.optional(fileSchema),
  animation: v.optional(fileSchema),
};

const messageSchema = v.looseObject({
  ...baseMessage,
  reply_to_message: v.optional(v.looseObject(baseMessage)),
});

const inlineButtonSchema = v.looseObject({ text: v.string(), callback_data: v.optional(v.string()) });

// A press of an inline keyboard button (https://core.telegram.org/bots/api#callbackquery).
const callbackQuerySchema = v.looseObject({
  id: v.string(),
  from: userSchema,
  message: v.optional(
    v.looseObject({
      ...baseMessage,
      reply_markup: v.optional(v.looseObject({ inline_keyboard: v.optional(v.array(v.array(inlineButtonSchema))) })),
    }),
  ),
  data: v.optional(v.string()),
});

/** The update fields the adapter reads. */
export const telegramUpdateSchema = v.looseObject({
  update_id: v.number(),
  message: v.optional(messageSchema),
  edited_message: v.optional(messageSchema),
  callback_query: v.optional(callbackQuerySchema),
});

/** A button press as the adapter reads it. */
export type TelegramCallbackQuery = v.InferOutput<typeof callbackQuerySchema>;

/** An update as the adapter reads it. */
export type TelegramUpdate = v.InferOutput<typeof telegramUpdateSchema>;
/** A message as the adapter reads it. */
export type TelegramMessage = v.InferOutput<typeof messageSchema>;
/** A user as the adapter reads it. */
export type TelegramUser = v.InferOutput<typeof userSchema>;
/** A file field of a message as the adapter reads it. */
export type TelegramFileField = v.InferOutput<typeof fileSchema>;

/** The updates the adapter asks Telegram for (`allowed_updates`). */
export const telegramAllowedUpdates = ['message', 'edited_message', 'callback_query'] as const;
