export { checkMcpServers } from './check-mcp-servers';
export { buildSandboxContainerOptions, type SandboxContainerInput, sandboxLabels } from './docker-container-options';
export { createDockerRuntime, type DockerRuntime } from './docker-runtime';
export { type DiskImageOptions, type DockerRuntimeOptions, dockerRuntimeOptionsSchema } from './docker-runtime-options';
export type { AttachedStdio } from './engine-attach';
export { createEngineClient, type EngineClient, type EngineClientOptions } from './engine-client';
export type { ContainerBindMount, ContainerCreateOptions, ContainerInspection, ContainerSummary } from './engine-types';
export { createLocalRuntime, type LocalRuntimeOptions, localRuntimeOptionsSchema } from './local-runtime';
export { mcpHeaderVariables } from './mcp-server-headers';
export { defaultMountAllowlistPath, loadMountAllowlist } from './mount-allowlist';
export {
  checkAgentFolderName,
  checkMounts,
  extraMountRoot,
  type MountAllowlist,
  type MountAllowlistRoot,
  type MountPolicyInput,
  type RefusedMount,
  type ResolvedMount,
  secretPathComponents,
} from './mount-policy';
export { isProcessAlive, type ProcessAliveCheck, type ProcessIdentity, readProcessIdentity } from './process-identity';
export { sandboxEnvProblem } from './sandbox-env-policy';
