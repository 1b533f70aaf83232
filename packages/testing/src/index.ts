export {
  createFakeLlmServer,
  type FakeLlmApi,
  type FakeLlmRequest,
  type FakeLlmServer,
  type FakeLlmServerOptions,
} from './llm/fake-llm-server';
export { findRunCommand, replyByRules } from './llm/llm-rules';
export { parseLlmScript } from './llm/llm-script-file';
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
  FakeSlackCall,
  FakeSlackFailure,
  FakeSlackFile,
  FakeSlackSent,
  FakeSlackSentFile,
  FakeSlackSentMessage,
  FakeSlackUser,
} from './slack/fake-slack-types';
