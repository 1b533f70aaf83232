export { createDingTalkChannel, type DingTalkChannel } from './dingtalk-channel';
export {
  type DingTalkChannelOptions,
  dingTalkChannelOptionsSchema,
  dingtalkManifest as manifest,
  type ResolvedDingTalkChannelOptions,
} from './dingtalk-options';
