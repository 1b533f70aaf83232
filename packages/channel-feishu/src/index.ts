export { createFeishuChannel, type FeishuChannelOptions, feishuChannelOptionsSchema } from './feishu-channel';
