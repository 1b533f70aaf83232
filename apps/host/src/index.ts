export { channelNames, loadChannelManifest, loadChannelManifests } from './channels/channel-manifests';
export { channelOptions, createChannel, enabledChannels, parseChannelOptions } from './channels/create-channel';
export { agentMcpServersProblem } from './compose/agent-mcp-servers';
export { type BudgetReportRow, type BudgetState, budgetReport, budgetStanding } from './compose/budget-report';
export { cliChannelName } from './compose/cli-channel';
export {
  type ComposedGateway,
  type ComposeRequest,
  composeGateway,
  type HostPlan,
  type HostRequest,
  type HostStart,
  planHost,
  type StartedHost,
  startHost,
} from './compose/compose-gateway';
export { containersWithLabel, dockerFix, imageExists, probeDockerEngine, removeContainer } from './compose/docker-engine';
export { chooseModel, type ModelChoice, type ModelOverrides } from './compose/model-providers';
export { type OpenProject, openProject } from './compose/open-project';
export { isRuntimeDriver, type RuntimeChoice, type RuntimeDriver, runtimeDriverOf } from './compose/runtime-choice';
export { type RunningGateway, startGateway } from './compose/start-gateway';
export { agentFolderProblem, listAgentFolders } from './compose/sync-agents';
export { configSchema, type NgbConfig } from './config/config-schema';
export { cpus, memoryMb, pids, positiveInteger, temperature } from './config/config-values';
export { checkedProjectPaths, displayPath, type Env, type LoadedConfig, loadConfig, parseConfig } from './config/load-config';
export { configFileName, type ProjectPaths } from './config/project-paths';
export { abandonTurn } from './conversation/abandon-turn';
export { claimConversation } from './conversation/conversation-owner';
export { logLevels, openLogSink } from './logs/log-sink';
export { rotatedLogFiles } from './logs/rotate-log-files';
export {
  type ConfiguredPlugin,
  changedSinceApproved,
  configuredPlugins,
  locatePlugin,
  type PluginLocation,
} from './plugins/configured-plugins';
export { openPluginPins, type PluginPin, pluginPinsFileName } from './plugins/plugin-pins';
