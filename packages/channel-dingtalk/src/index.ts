export { createDingTalkChannel } from './dingtalk-channel';
export { type DingTalkChannelOptions, dingTalkChannelOptionsSchema, dingtalkManifest as manifest } from './dingtalk-options';
