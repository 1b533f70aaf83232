import { CliExit } from '../cli-error';
import { colors } from '../colors';
import { printLine } from '../output';
import { runDoctorChecks } from './doctor-checks';

const marks = { ok: colors.green('✔'), warn: colors.yellow('⚠'), fail: colors.red('✖') };

/** Runs `ngb doctor`; exit code 1 when a check failed. */
export async function executeDoctor(flags: { config: string | undefined; json: boolean }): Promise<void> {
  const results = await runDoctorChecks({ configOption: flags.config, env: process.env, cwd: process.cwd() });
  const failures = results.filter((result) => result.status === 'fail').length;
  const warnings = results.filter((result) => result.status === 'warn').length;
  if (flags.json) printLine(JSON.stringify({ ok: failures === 0, checks: results }));
  else {
    const width = Math.max(...results.map((result) => result.name.length));
    for (const result of results) {
      printLine(`${marks[result.status]} ${result.name.padEnd(width)}  ${result.detail}`);
      if (result.fix !== undefined) printLine(`  ${' '.repeat(width)}  ${colors.dim('fix:')} ${result.fix}`);
    }
    printLine();
    printLine(`${results.length - failures - warnings} ok, ${warnings} warning${warnings === 1 ? '' : 's'}, ${failures} failed`);
  }
  if (failures > 0) throw new CliExit(1);
}
