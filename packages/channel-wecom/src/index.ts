export { createWeComChannel, type WeComChannelOptions, weComChannelOptionsSchema } from './wecom-channel';
