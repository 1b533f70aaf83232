export { convertToFeishuPost, type FeishuPost, type FeishuPostElement } from './convert-to-feishu-post';
export { createFeishuChannel, type FeishuChannel } from './feishu-channel';
export {
  type FeishuChannelOptions,
  feishuChannelOptionsSchema,
  feishuManifest as manifest,
  type ResolvedFeishuChannelOptions,
} from './feishu-options';
export { mapFeishuError } from './map-feishu-error';
