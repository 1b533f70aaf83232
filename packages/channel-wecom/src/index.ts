export { convertToWeComMarkdown } from './convert-to-wecom-markdown';
export { mapWeComError } from './map-wecom-error';
export { createWeComChannel, type WeComChannel } from './wecom-channel';
export {
  type ResolvedWeComChannelOptions,
  type WeComChannelOptions,
  weComChannelOptionsSchema,
  wecomManifest as manifest,
} from './wecom-options';
