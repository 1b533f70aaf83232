export { slackManifest as manifest } from './slack-options';
