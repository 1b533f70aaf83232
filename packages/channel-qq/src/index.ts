export { createQQChannel, type QQChannelOptions, qQChannelOptionsSchema } from './qq-channel';
