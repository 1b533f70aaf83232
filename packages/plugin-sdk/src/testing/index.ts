export { type ChannelHarness, describeChannelContract } from './channel-contract';
export { describeLlmProviderContract } from './llm-provider-contract';
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
export {
  createRecordingChannel,
  type RecordedSend,
  type RecordingChannel,
  type RecordingChannelOptions,
} from './recording-channel';
export { createRecordingLogger, type RecordedLogLine, type RecordingLogger } from './recording-logger';
export {
  describeSandboxRuntimeContract,
  type SandboxRuntimeContractOptions,
  type SandboxRuntimeHarness,
} from './sandbox-runtime-contract';
export { describeStoreContract, hostileSearchTexts, type StoreContractFactory, type StoreContractSeams } from './store-contract';
