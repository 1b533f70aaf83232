export { createWebChannel, isWebChannel, type WebChannel } from './web-channel';
export { type WebChannelOptions, webChannelOptionsSchema, webManifest as manifest } from './web-options';
export type { WebAccess } from './web-requests';
