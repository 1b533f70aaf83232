export { createWebChannel, type WebChannelOptions, webChannelOptionsSchema } from './web-channel';
