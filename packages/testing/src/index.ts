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
