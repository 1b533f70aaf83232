export { budgetPeriodsAt } from './budget-periods';
export { createGateway } from './create-gateway';
export { dashboardIdentity } from './dashboard-identity';
export type {
  EventBus,
  EventsSince,
  GatewayEvent,
  GatewayEventListener,
  GatewayEventType,
  TimedGatewayEvent,
  TurnUsage,
} from './events';
export { escapeXml, formatMessages, isValidTimeZone } from './format-messages';
export { type Gateway, type GatewayOptions, gatewayOptionsSchema } from './gateway-options';
export { heartbeatSchema } from './heartbeat-settings';
export { type InstallSkillResult, installSkill, type RemoveSkillResult, removeSkill } from './install-skill';
export { createKeyRotatingProvider, type KeyRotatingProviderOptions, type ProviderKey } from './key-rotation';
export type { GatewayOnboarding } from './onboarding';
export type { PluginEntry } from './plugin-host';
export {
  createRateLimitPlugin,
  type RateLimitOptions,
  rateLimitOptionsSchema,
  rateLimitPluginName,
} from './rate-limit-plugin';
export { type AgentFileRead, type AgentFileRefusal, defaultAgentFileMaxBytes, readAgentFile } from './read-agent-file';
export {
  defaultMaxSkills,
  readSkillScope,
  type Skill,
  type SkillProblem,
  type SkillScope,
  type SkillScopeRead,
} from './read-skill-scope';
export type { GatewayHealth } from './resource-governor';
export { planTaskSchedule, type TaskScheduleRequest, taskStatusChange } from './schedule';
export { mergeSkillScopes, type SkillListing } from './skill-catalog';
export { splitMessage } from './split-message';
export { sandboxSpecOf } from './turn-start';
