import { isValidTimeZone } from '@ngb/core';
import { cpus, type LoadedConfig, memoryMb, pids, positiveInteger, temperature } from '@ngb/host';
import type { Agent, ScheduledTask, Store } from '@ngb/plugin-sdk';
import { checkEgressNetwork, errorMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import type { CheckResult } from './doctor-checks';

const name = 'stored settings';

/** One setting a turn reads from the database, and whether the stored value can work. */
interface StoredSetting {
  key: string;
  value: unknown;
  valid: boolean;
}

const fits = (schema: v.GenericSchema, value: unknown) => value === undefined || v.is(schema, value);

function agentSettings(agent: Agent): StoredSetting[] {
  const { model, sandbox } = agent;
  return [
    { key: 'timezone', value: agent.timezone, valid: isValidTimeZone(agent.timezone) },
    { key: 'model.provider', value: model.provider, valid: fits(v.picklist(['openai', 'anthropic']), model.provider) },
    { key: 'model.maxTokens', value: model.maxTokens, valid: fits(positiveInteger, model.maxTokens) },
    { key: 'model.temperature', value: model.temperature, valid: fits(temperature, model.temperature) },
    { key: 'network', value: sandbox.network, valid: checkEgressNetwork(sandbox.network).ok },
    { key: 'memoryMb', value: sandbox.memoryMb, valid: fits(memoryMb, sandbox.memoryMb) },
    { key: 'cpus', value: sandbox.cpus, valid: fits(cpus, sandbox.cpus) },
    { key: 'pids', value: sandbox.pids, valid: fits(pids, sandbox.pids) },
  ];
}

function agentProblems(agent: Agent): CheckResult[] {
  return agentSettings(agent)
    .filter((setting) => !setting.valid)
    .map((setting) => {
      const key = `agents.${agent.folder}.${setting.key}`;
      return {
        name,
        status: 'fail',
        detail: `agent ${agent.folder}: the database holds ${JSON.stringify(setting.value)} for ${setting.key}, and its turns fail on it`,
        fix: `set a valid "${key}" in ngb.config.json, or remove the key for the default; the next ngb command (such as \`ngb agent ls\`) stores it`,
      };
    });
}

function taskProblem(task: ScheduledTask, agents: ReadonlyMap<string, string>): CheckResult | undefined {
  if (isValidTimeZone(task.timezone)) return undefined;
  return {
    name,
    status: 'fail',
    detail: `task ${task.id.slice(0, 8)} of agent ${agents.get(task.agentId) ?? task.agentId}: unknown time zone ${JSON.stringify(task.timezone)}`,
    fix: 'ask the agent to cancel the task (cancel_task) and schedule it again with an IANA time zone such as Europe/Berlin',
  };
}

/**
 * Checks what the database holds for the turns: the agents' settings as last applied from the
 * config (or written by an older `ngb`), and the time zones of scheduled tasks. Reads only.
 */
export async function storedSettingsChecks(loaded: LoadedConfig): Promise<CheckResult[]> {
  const { createSqliteStore } = await import('@ngb/store');
  let store: Store;
  try {
    store = await createSqliteStore({ path: loaded.paths.database });
  } catch (error) {
    return [{ name, status: 'fail', detail: `cannot open the database: ${errorMessage(error)}`, fix: 'run `ngb init`' }];
  }
  try {
    const agents = await store.agents.list();
    const folders = new Map(agents.map((agent) => [agent.id, agent.folder]));
    const tasks = [...(await store.tasks.list({ status: 'active' })), ...(await store.tasks.list({ status: 'paused' }))];
    const problems = [
      ...agents.flatMap(agentProblems),
      ...tasks.map((task) => taskProblem(task, folders)).filter((problem) => problem !== undefined),
    ];
    if (problems.length > 0) return problems;
    const count = (number: number, noun: string) => `${number} ${noun}${number === 1 ? '' : 's'}`;
    return [{ name, status: 'ok', detail: `${count(agents.length, 'agent')}, ${count(tasks.length, 'scheduled task')}` }];
  } finally {
    await store.close();
  }
}
