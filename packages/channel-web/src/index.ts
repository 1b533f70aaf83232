export { createWebChannel } from './web-channel';
export { type WebChannelOptions, webChannelOptionsSchema, webManifest as manifest } from './web-options';
