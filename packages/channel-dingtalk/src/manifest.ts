export { dingtalkManifest as manifest } from './dingtalk-options';
