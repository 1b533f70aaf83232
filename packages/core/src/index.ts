export { createGateway, type Gateway, type GatewayOptions } from './create-gateway';
export { splitMessage } from './split-message';
export { escapeXml, formatMessages, isValidTimeZone } from './format-messages';
export type { EventBus, GatewayEvent, GatewayEventListener, GatewayEventType, TimedGatewayEvent, TurnUsage } from './events';
export type { PluginEntry } from './plugin-host';
