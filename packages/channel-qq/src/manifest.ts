export { qqManifest as manifest } from './qq-options';
