// The shared contract suites (`describe*Contract`), written with vitest: import them from a vitest test
// file. The fakes they use are in `@ngb/plugin-sdk/testing`, which needs no test runner.
export { describeChannelContract } from './channel-contract';
export type { ChannelHarness, HarnessInbound, HarnessPlatform, HarnessPress, HarnessSent } from './channel-harness';
export { describeLlmProviderContract } from './llm-provider-contract';
export {
  describeSandboxRuntimeContract,
  type SandboxRuntimeContractOptions,
  type SandboxRuntimeHarness,
} from './sandbox-runtime-contract';
export { describeStoreContract, hostileSearchTexts, type StoreContractFactory, type StoreContractSeams } from './store-contract';
