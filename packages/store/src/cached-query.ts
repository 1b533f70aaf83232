import type { Compilable } from 'kysely';
import type { RepositoryContext } from './repository-context';

/**
 * Runs a hot-path query, building and compiling it with kysely only the first time per store:
 * building costs more than SQLite's own work for small statements. Later calls bind `parameters` to
 * the cached SQL text and run it on the driver directly, past kysely's executor (whose promise
 * layers cost as much again), so `build` must always produce the same SQL with exactly these
 * parameters in this order (checked on the first call).
 */
export async function runCachedQuery<Row>(
  context: RepositoryContext,
  name: string,
  parameters: readonly unknown[],
  build: () => Compilable<Row>,
): Promise<Row[]> {
  let sqlText = context.compiledSql.get(name);
  if (sqlText === undefined) {
    const compiled = build().compile();
    const same =
      compiled.parameters.length === parameters.length &&
      compiled.parameters.every((value, index) => value === parameters[index]);
    if (!same) throw new Error(`[@ngb/store] cached query ${name} binds different parameters than it compiles to`);
    sqlText = compiled.sql;
    context.compiledSql.set(name, sqlText);
  }
  const result = await context.execute<Row>(sqlText, parameters);
  return result.rows;
}
