import { type LoadedConfig, loadConfig, type OpenProject, openProject } from '@ngb/host';
import { printWarning } from './output';

/** The flags every project command takes. */
export interface ProjectFlags {
  config: string | undefined;
  debug: boolean;
}

/** Finds and validates the project's config, printing its warnings (unknown keys, ...). */
export function loadProjectConfig(flags: Pick<ProjectFlags, 'config'>): LoadedConfig {
  const loaded = loadConfig({ configOption: flags.config, env: process.env, cwd: process.cwd() });
  for (const warning of loaded.warnings) printWarning(warning);
  return loaded;
}

/** Opens the project for one command and closes it afterwards, whatever `use` does. */
export async function withProject<T>(flags: ProjectFlags, use: (project: OpenProject) => Promise<T>): Promise<T> {
  const project = await openProject(loadProjectConfig(flags), process.env, { command: 'cli', debug: flags.debug });
  try {
    return await use(project);
  } finally {
    await project.close();
  }
}
