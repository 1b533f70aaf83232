import type { CommandDef } from 'citty';
import { type CommandName, commandSummaries } from './command-summaries';

/** A top-level command: its one-line summary (for `ngb --help`) and how to load it. */
export interface CommandEntry {
  name: CommandName;
  summary: string;
  load: () => Promise<CommandDef>;
}

const loaders: Record<CommandName, () => Promise<CommandDef>> = {
  init: () => import('./commands/init-command').then((module) => module.initCommand),
  serve: () => import('./commands/serve-command').then((module) => module.serveCommand),
  run: () => import('./commands/run-command').then((module) => module.runCommand),
  shell: () => import('./commands/shell-command').then((module) => module.shellCommand),
  logs: () => import('./commands/logs-command').then((module) => module.logsCommand),
  session: () => import('./commands/session-commands').then((module) => module.sessionCommands),
  agent: () => import('./commands/agent-commands').then((module) => module.agentCommands),
  skill: () => import('./commands/skill-commands').then((module) => module.skillCommands),
  chat: () => import('./commands/chat-commands').then((module) => module.chatCommands),
  user: () => import('./commands/user-commands').then((module) => module.userCommands),
  destination: () => import('./commands/destination-commands').then((module) => module.destinationCommands),
  approvals: () => import('./commands/approvals-commands').then((module) => module.approvalsCommands),
  channel: () => import('./commands/channel-commands').then((module) => module.channelCommands),
  plugin: () => import('./commands/plugin-commands').then((module) => module.pluginCommands),
  image: () => import('./commands/image-commands').then((module) => module.imageCommands),
  cost: () => import('./commands/cost-command').then((module) => module.costCommand),
  doctor: () => import('./commands/doctor-command').then((module) => module.doctorCommand),
};

/** Every top-level command, in the order of {@link commandSummaries}. */
export const commandTable: readonly CommandEntry[] = commandSummaries.map(({ name, summary }) => ({
  name,
  summary,
  load: loaders[name],
}));
