export { createGateway, type Gateway, type GatewayOptions } from './create-gateway';
export {
  type EventBus,
  type EventsSince,
  type GatewayEvent,
  type GatewayEventListener,
  type GatewayEventType,
  type TimedGatewayEvent,
  type TurnUsage,
} from './events';
export { escapeXml, formatMessages, isValidTimeZone } from './format-messages';
export type { PluginEntry } from './plugin-host';
export { type AgentFileRead, type AgentFileRefusal, defaultAgentFileMaxBytes, readAgentFile } from './read-agent-file';
export { splitMessage } from './split-message';
