export { createWeComChannel } from './wecom-channel';
export { type WeComChannelOptions, weComChannelOptionsSchema, wecomManifest as manifest } from './wecom-options';
