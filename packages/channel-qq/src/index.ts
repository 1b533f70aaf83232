export { createQQChannel } from './qq-channel';
export { type QQChannelOptions, qQChannelOptionsSchema, qqManifest as manifest } from './qq-options';
