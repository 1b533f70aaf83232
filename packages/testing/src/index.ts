export {
  createFakeDiscordServer,
  type FakeDiscordChannel,
  type FakeDiscordFailure,
  type FakeDiscordGatewayLog,
  type FakeDiscordGuild,
  type FakeDiscordInbound,
  type FakeDiscordRequest,
  type FakeDiscordSentMessage,
  type FakeDiscordServer,
  type FakeDiscordServerOptions,
  type FakeDiscordUser,
} from './discord/fake-discord-server';
export {
  createFakeLlmServer,
  type FakeLlmApi,
  type FakeLlmRequest,
  type FakeLlmServer,
  type FakeLlmServerOptions,
} from './llm/fake-llm-server';
export { findRunCommand, replyByRules } from './llm/llm-rules';
export { parseLlmScript } from './llm/llm-script-file';
export {
  createFakeTelegramServer,
  type FakeTelegramCall,
  type FakeTelegramFailureSpec,
  type FakeTelegramServer,
  type FakeTelegramServerOptions,
} from './telegram/fake-telegram-server';
export { type MarkdownV2Result, parseMarkdownV2 } from './telegram/markdown-v2';
export type { FakeTelegramFile, FakeTelegramUpload, FakeTelegramUser } from './telegram/telegram-fake-chats';
export type { FakeTelegramSent } from './telegram/telegram-fake-methods';
export type { FakeTelegramEditInput, FakeTelegramMessageInput } from './telegram/telegram-fake-updates';
