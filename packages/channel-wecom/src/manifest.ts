export { wecomManifest as manifest } from './wecom-options';
