import { type BudgetState, budgetReport, budgetStanding } from '@ngb/host';
import { colors } from '../colors';
import { printLine } from '../output';
import { table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';

const money = (usd: number) => `$${usd.toFixed(4)}`;

/** The marker of a budget's state: blank while under its near-end share. */
const marks: Record<BudgetState, string> = { unlimited: '', ok: '', near: 'near limit', spent: 'SPENT' };

/** `ngb cost`: spend of the current day and month per agent, user and chat, against their budgets. */
export async function showCost(flags: ProjectFlags & { json: boolean }): Promise<void> {
  await withProject(flags, async ({ store, config }) => {
    const rows = (await budgetReport(store, config, Date.now())).map((row) => ({
      ...row,
      ...budgetStanding(row, config.budgets.nearShare),
    }));
    if (flags.json) {
      printLine(JSON.stringify(rows));
      return;
    }
    if (rows.length === 0) {
      printLine('nothing spent against budgets this day or month (set them under `budgets` and `agents.<name>.budget`)');
      return;
    }
    const lines = table(
      ['PERIOD', 'SCOPE', 'NAME', 'SPENT', 'BUDGET', 'TOKENS', 'TOKEN BUDGET', 'USED', ''],
      rows.map((row) => [
        row.periodKey,
        row.scope,
        row.name,
        money(row.costUsd),
        row.limitUsd === undefined ? '-' : money(row.limitUsd),
        row.unpricedTokens > 0 ? `${row.tokens} (${row.unpricedTokens} unpriced)` : String(row.tokens),
        row.limitTokens === undefined ? '-' : String(row.limitTokens),
        row.share === undefined ? '-' : `${Math.round(row.share * 100)} %`,
        marks[row.state],
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    lines.slice(1).forEach((line, index) => {
      const state = rows[index]?.state;
      printLine(state === 'spent' ? colors.red(line) : state === 'near' ? colors.yellow(line) : line);
    });
    printLine(
      colors.dim(
        `days and months in ${config.budgets.timeZone}; "near limit" from ${Math.round(config.budgets.nearShare * 100)} % of a budget, "SPENT" once turns are refused`,
      ),
    );
    if (rows.some((row) => row.unpricedTokens > 0)) {
      printLine(
        colors.dim('unpriced tokens count against token budgets only: add their models under `pricing` in ngb.config.json'),
      );
    }
  });
}
