export { webManifest as manifest } from './web-options';
