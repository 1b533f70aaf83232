export { createDingTalkChannel, type DingTalkChannelOptions, dingTalkChannelOptionsSchema } from './dingtalk-channel';
