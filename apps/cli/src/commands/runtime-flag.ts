import type { FlagDefinitions } from '../define-command';

/** `--runtime` of the commands that run tools (`run`, `shell`, `serve`). */
export const runtimeFlag = {
  type: 'string',
  description: 'Where tools run: docker (the sandbox, the default), or local to run them on this machine, NOT ISOLATED',
  valueHint: 'docker|local',
} as const satisfies FlagDefinitions[string];
