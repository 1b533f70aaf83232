export {
  createFakeLlmServer,
  type FakeLlmApi,
  type FakeLlmRequest,
  type FakeLlmServer,
  type FakeLlmServerOptions,
} from './llm/fake-llm-server';
export { findRunCommand, replyByRules } from './llm/llm-rules';
export { parseLlmScript } from './llm/llm-script-file';
