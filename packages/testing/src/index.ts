export { createFakeDingTalkServer } from './dingtalk/fake-dingtalk-server';
export type { FakeDingTalkFrame } from './dingtalk/fake-dingtalk-stream';
export type {
  FakeDingTalkCall,
  FakeDingTalkFailure,
  FakeDingTalkInbound,
  FakeDingTalkRobotMessage,
  FakeDingTalkSent,
  FakeDingTalkServer,
  FakeDingTalkServerOptions,
  FakeDingTalkStreamLog,
  FakeDingTalkUpload,
} from './dingtalk/fake-dingtalk-types';
export {
  createFakeDiscordServer,
  type FakeDiscordButton,
  type FakeDiscordChannel,
  type FakeDiscordFailure,
  type FakeDiscordGatewayLog,
  type FakeDiscordGuild,
  type FakeDiscordInbound,
  type FakeDiscordInteraction,
  type FakeDiscordRequest,
  type FakeDiscordSentMessage,
  type FakeDiscordServer,
  type FakeDiscordServerOptions,
  type FakeDiscordUser,
} from './discord/fake-discord-server';
export { mountSmallDisk, type SmallDisk } from './disk/small-disk';
export {
  encryptFeishuPayload,
  type FakeFeishuDelivery,
  type FakeFeishuEnvelope,
  type FakeFeishuUserMessage,
  feishuSignature,
} from './feishu/fake-feishu-events';
export type { FakeFeishuAck } from './feishu/fake-feishu-long-connection';
export {
  createFakeFeishuServer,
  type FakeFeishuServer,
  type FakeFeishuServerOptions,
} from './feishu/fake-feishu-server';
export type { FakeFeishuCall, FakeFeishuFailure, FakeFeishuSent, FakeFeishuSentMessage } from './feishu/fake-feishu-types';
export { garblePayload } from './fuzz/garble-payload';
export { inboundProblems } from './fuzz/inbound-problems';
export { isSubsequence, type MarkdownSample, markdownSample, wordsOf } from './fuzz/markdown-sample';
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
  createFakeQQServer,
  type FakeQQAction,
  type FakeQQFailure,
  type FakeQQInbound,
  type FakeQQSegment,
  type FakeQQSentMessage,
  type FakeQQServer,
  type FakeQQServerOptions,
  type FakeQQUpload,
} from './qq/fake-qq-server';
export type { FakeSlackPress } from './slack/fake-slack-buttons';
export type { FakeSlackEvent } from './slack/fake-slack-events';
export { slackSignature } from './slack/fake-slack-events';
export type { FakeSlackUserMessage } from './slack/fake-slack-inbound';
export {
  createFakeSlackServer,
  type FakeSlackPosted,
  type FakeSlackServer,
  type FakeSlackServerOptions,
} from './slack/fake-slack-server';
export type { FakeSlackEnvelope } from './slack/fake-slack-socket';
export type {
  FakeSlackButton,
  FakeSlackCall,
  FakeSlackFailure,
  FakeSlackFile,
  FakeSlackSent,
  FakeSlackSentFile,
  FakeSlackSentMessage,
  FakeSlackUser,
} from './slack/fake-slack-types';
export {
  createFakeTelegramServer,
  type FakeTelegramCall,
  type FakeTelegramFailureSpec,
  type FakeTelegramServer,
  type FakeTelegramServerOptions,
} from './telegram/fake-telegram-server';
export { type MarkdownV2Result, parseMarkdownV2 } from './telegram/markdown-v2';
export type { FakeTelegramButton, FakeTelegramPressInput } from './telegram/telegram-fake-buttons';
export type { FakeTelegramFile, FakeTelegramUpload, FakeTelegramUser } from './telegram/telegram-fake-chats';
export type { FakeTelegramHold } from './telegram/telegram-fake-holds';
export type { FakeTelegramSent } from './telegram/telegram-fake-methods';
export type { FakeTelegramEditInput, FakeTelegramMessageInput } from './telegram/telegram-fake-updates';
export {
  type FakeWeComCallbackFaults,
  type FakeWeComInbound,
  weComCallbackSignature,
  weComEncrypt,
} from './wecom/fake-wecom-callback';
export { createFakeWeComServer } from './wecom/fake-wecom-server';
export type {
  FakeWeComFailure,
  FakeWeComMedia,
  FakeWeComSent,
  FakeWeComServer,
  FakeWeComServerOptions,
} from './wecom/fake-wecom-types';
export {
  createFakeWhatsAppCloudServer,
  type FakeWhatsAppCloudServer,
  type FakeWhatsAppCloudServerOptions,
} from './whatsapp/fake-whatsapp-cloud-server';
export { type FakeWhatsAppStyle, renderWhatsAppText } from './whatsapp/fake-whatsapp-markup';
export type {
  FakeWhatsAppCall,
  FakeWhatsAppDelivery,
  FakeWhatsAppFailure,
  FakeWhatsAppSent,
} from './whatsapp/fake-whatsapp-types';
export { createFakeWhatsAppWebServer, type FakeWhatsAppWebServer } from './whatsapp/fake-whatsapp-web-server';
export { type FakeWhatsAppInbound, whatsAppSignature } from './whatsapp/fake-whatsapp-webhook';
