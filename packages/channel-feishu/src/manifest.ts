export { feishuManifest as manifest } from './feishu-options';
