export { type ChannelHarness, describeChannelContract } from './channel-contract';
export {
  createRecordingChannel,
  type RecordedSend,
  type RecordingChannel,
  type RecordingChannelOptions,
} from './recording-channel';
export { createManualClock, type ManualClock } from './manual-clock';
export { createRecordingLogger, type RecordedLogLine, type RecordingLogger } from './recording-logger';
export { describeLlmProviderContract } from './llm-provider-contract';
export {
  type LlmProviderHarness,
  type LlmRecordedRequest,
  type LlmScriptError,
  type LlmScriptFault,
  type LlmScriptReply,
  type LlmScriptStep,
  type LlmScriptToolCall,
  type LlmScriptUsage,
} from './llm-script';
export {
  describeSandboxRuntimeContract,
  type SandboxRuntimeContractOptions,
  type SandboxRuntimeHarness,
} from './sandbox-runtime-contract';
export { describeStoreContract, hostileSearchTexts, type StoreContractFactory, type StoreContractSeams } from './store-contract';
