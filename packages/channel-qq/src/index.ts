export { createQQChannel, type QQChannel } from './qq-channel';
export {
  type QQChannelOptions,
  qqChannelOptionsSchema,
  qqManifest as manifest,
  type ResolvedQQChannelOptions,
} from './qq-options';
