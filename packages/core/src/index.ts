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
export type { Gateway, GatewayOptions } from './gateway-options';
export { createKeyRotatingProvider, type KeyRotatingProviderOptions, type ProviderKey } from './key-rotation';
export type { GatewayOnboarding } from './onboarding';
export type { PluginEntry } from './plugin-host';
export { type AgentFileRead, type AgentFileRefusal, defaultAgentFileMaxBytes, readAgentFile } from './read-agent-file';
export { planTaskSchedule, type TaskScheduleRequest, taskStatusChange } from './schedule';
export { splitMessage } from './split-message';
