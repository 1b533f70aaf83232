import { displayPath, openProject } from '@ngb/host';
import { colors } from '../colors';
import { printLine, printWarning } from '../output';
import { initProject } from './init-project';

/** Runs `ngb init` and says what it created and what was already there. */
export async function executeInit(directory: string, debug: boolean): Promise<void> {
  const report = initProject(directory, process.env);
  for (const warning of report.warnings) printWarning(warning);
  const project = await openProject({ config: report.config, paths: report.paths, warnings: [] }, process.env, {
    command: 'init',
    debug,
  });
  await project.close();
  for (const path of report.created) printLine(`${colors.green('created')}  ${displayPath(path)}`);
  for (const path of report.kept) printLine(`${colors.dim('kept   ')}  ${displayPath(path)}`);
  printLine(
    `${colors.green('ready  ')}  ${displayPath(report.paths.database)} (agents: ${project.agents.map((agent) => agent.folder).join(', ')})`,
  );
  printLine();
  if (report.created.length === 0) printLine('Nothing to create: the project was already set up.');
  else {
    printLine('Next:');
    printLine('  export ANTHROPIC_API_KEY=...   (or OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server)');
    printLine('  ngb doctor                     check Docker, the sandbox image and the model settings');
    printLine('  ngb run -p "hello"             one prompt;  ngb shell  for a conversation');
  }
}
