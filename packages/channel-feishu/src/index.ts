export { createFeishuChannel } from './feishu-channel';
export { type FeishuChannelOptions, feishuChannelOptionsSchema, feishuManifest as manifest } from './feishu-options';
