import type { Agent, AgentPatch, AgentSandboxSettings, AgentsRepository, NewAgent } from '@ngb/plugin-sdk';
import { ConfigError, checkEgressNetwork, NotFoundError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { runCachedQuery } from '../cached-query';
import type { AgentsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { isUniqueViolation, optional, parseJsonColumn, toJsonColumn } from '../row-helpers';

const folderPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks an agent folder name: it becomes a directory on the host and a mount in the sandbox.
 * @throws ConfigError naming the folder
 */
export function assertValidAgentFolder(folder: string): void {
  if (!folderPattern.test(folder)) {
    throw new ConfigError(
      `[@ngb/store] agent folder "${folder}" is invalid: use 1-64 letters, digits, "_" or "-", starting with a letter or digit`,
      { key: 'folder' },
    );
  }
  if (folder.toLowerCase() === 'global') {
    throw new ConfigError(`[@ngb/store] agent folder "${folder}" is reserved for the shared global folder`, {
      key: 'folder',
    });
  }
}

function toSandbox(settings: Partial<AgentSandboxSettings> | undefined): AgentSandboxSettings {
  return { ...settings, network: settings?.network ?? 'none', mounts: settings?.mounts ?? [] };
}

/**
 * The sandbox settings to write, with the network checked and normalized (lower-case, punycode, no duplicates).
 * @throws ConfigError with key `sandbox.network`, naming the entry at fault
 */
function checkedSandbox(settings: Partial<AgentSandboxSettings> | undefined): AgentSandboxSettings {
  const network = checkEgressNetwork(settings?.network);
  if (!network.ok) {
    throw new ConfigError(
      `[@ngb/store] agent sandbox.network${network.path === '' ? '' : `.${network.path}`} ${network.problem}`,
      { key: 'sandbox.network' },
    );
  }
  return toSandbox({ ...settings, network: network.network });
}

function toAgent(row: Selectable<AgentsTable>, context: RepositoryContext): Agent {
  const where = `agents ${row.id}`;
  return {
    id: row.id,
    folder: row.folder,
    name: row.name,
    isMain: row.is_main === 1,
    assistantName: optional(row.assistant_name),
    instructionsFile: row.instructions_file,
    model: parseJsonColumn(row.model, {}, context.logger, `${where} model`),
    sandbox: toSandbox(parseJsonColumn(row.sandbox, {}, context.logger, `${where} sandbox`)),
    timezone: row.timezone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createAgentsRepository(context: RepositoryContext): AgentsRepository {
  const { db, now } = context;

  async function assertFree(folder: string, isMain: boolean, exceptId: string | undefined): Promise<void> {
    const sameFolder = await db().selectFrom('agents').select('id').where('folder', '=', folder).executeTakeFirst();
    if (sameFolder !== undefined && sameFolder.id !== exceptId) {
      throw new ConfigError(`[@ngb/store] agent folder "${folder}" is already used by another agent`, { key: 'folder' });
    }
    if (!isMain) return;
    const main = await db().selectFrom('agents').select(['id', 'folder']).where('is_main', '=', 1).executeTakeFirst();
    if (main !== undefined && main.id !== exceptId) {
      throw new ConfigError(
        `[@ngb/store] agent folder "${folder}" cannot be the main agent: "${main.folder}" already is (at most one main agent)`,
        { key: 'isMain' },
      );
    }
  }

  async function mapConflicts<T>(folder: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConfigError(`[@ngb/store] agent folder "${folder}" conflicts with an existing agent (folder or main)`, {
          key: 'folder',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function get(id: string): Promise<Agent | undefined> {
    const [row] = await runCachedQuery(context, 'agents.get', [id], () =>
      db().selectFrom('agents').selectAll().where('id', '=', id),
    );
    return row === undefined ? undefined : toAgent(row, context);
  }

  return {
    async create(input: NewAgent) {
      assertValidAgentFolder(input.folder);
      const sandbox = checkedSandbox(input.sandbox);
      await assertFree(input.folder, input.isMain, undefined);
      const time = now();
      const row = await mapConflicts(input.folder, () =>
        db()
          .insertInto('agents')
          .values({
            id: context.generateId(),
            folder: input.folder,
            name: input.name,
            is_main: input.isMain ? 1 : 0,
            assistant_name: input.assistantName ?? null,
            instructions_file: input.instructionsFile ?? 'AGENTS.md',
            model: toJsonColumn(input.model ?? {}, 'agent model settings'),
            sandbox: toJsonColumn(sandbox, 'agent sandbox settings'),
            timezone: input.timezone ?? 'UTC',
            created_at: time,
            updated_at: time,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toAgent(row, context);
    },

    get,

    async getByFolder(folder) {
      const row = await db().selectFrom('agents').selectAll().where('folder', '=', folder).executeTakeFirst();
      return row === undefined ? undefined : toAgent(row, context);
    },

    async list() {
      const rows = await db().selectFrom('agents').selectAll().orderBy('seq').execute();
      return rows.map((row) => toAgent(row, context));
    },

    async update(id: string, patch: AgentPatch) {
      const current = await get(id);
      if (current === undefined) throw new NotFoundError('agent', id);
      const folder = patch.folder ?? current.folder;
      if (patch.folder !== undefined) assertValidAgentFolder(patch.folder);
      const sandbox = patch.sandbox === undefined ? undefined : checkedSandbox(patch.sandbox);
      await assertFree(folder, patch.isMain ?? current.isMain, id);
      const row = await mapConflicts(folder, () =>
        db()
          .updateTable('agents')
          .set({
            folder,
            name: patch.name,
            is_main: patch.isMain === undefined ? undefined : patch.isMain ? 1 : 0,
            assistant_name: patch.assistantName,
            instructions_file: patch.instructionsFile,
            model: patch.model === undefined ? undefined : toJsonColumn(patch.model, 'agent model settings'),
            sandbox: sandbox === undefined ? undefined : toJsonColumn(sandbox, 'agent sandbox settings'),
            timezone: patch.timezone,
            updated_at: now(),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toAgent(row, context);
    },

    async remove(id) {
      const result = await db().deleteFrom('agents').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new NotFoundError('agent', id);
    },
  };
}
