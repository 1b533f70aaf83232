// The recording fakes and script types: plain code with no test runner, importable anywhere (a plugin's
// own tests under any runner, a script, an example). The contract suites, which need vitest, are in
// `@ngb/plugin-sdk/testing/contracts`.

export type {
  ChannelHarness,
  HarnessAttachment,
  HarnessInbound,
  HarnessPlatform,
  HarnessPress,
  HarnessSent,
} from './channel-harness';
export type {
  LlmProviderHarness,
  LlmRecordedRequest,
  LlmScriptError,
  LlmScriptFault,
  LlmScriptReply,
  LlmScriptStep,
  LlmScriptToolCall,
  LlmScriptUsage,
} from './llm-script';
export { createManualClock, type ManualClock } from './manual-clock';
export { type PluginHarness, setUpPlugin } from './plugin-harness';
export {
  createRecordingChannel,
  type RecordedEdit,
  type RecordedSend,
  type RecordingCapabilities,
  type RecordingChannel,
  type RecordingChannelOptions,
} from './recording-channel';
export { createRecordingChannelHarness, type RecordingChannelHarness } from './recording-channel-harness';
export { createRecordingChannelContext, eventually, type RecordingChannelContext } from './recording-context';
export type { RecordingInboundFile } from './recording-files';
export { createRecordingLogger, type RecordedLogLine, type RecordingLogger } from './recording-logger';
export {
  createRecordingWebhookRequest,
  type RecordingInboundPayload,
  recordingWebhookSecretHeader,
} from './recording-webhook';
