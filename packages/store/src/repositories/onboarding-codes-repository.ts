import type { OnboardingCode, OnboardingCodeKind, OnboardingCodesRepository } from '@ngb/plugin-sdk';
import { ConfigError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { OnboardingCodesTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { isUniqueViolation, optional, withReferences } from '../row-helpers';

function toOnboardingCode(row: Selectable<OnboardingCodesTable>): OnboardingCode {
  return {
    id: row.id,
    kind: row.kind as OnboardingCodeKind,
    codeHash: row.code_hash,
    userId: optional(row.user_id),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    consumedAt: optional(row.consumed_at),
  };
}

export function createOnboardingCodesRepository(context: RepositoryContext): OnboardingCodesRepository {
  const { db } = context;
  return {
    async create(input) {
      assertAllowed(input.kind, allowedValues.onboardingCodeKind, 'onboarding code', 'kind');
      try {
        const row = await withReferences(db(), [['user', 'users', input.userId]], () =>
          db()
            .insertInto('onboarding_codes')
            .values({
              id: context.generateId(),
              kind: input.kind,
              code_hash: input.codeHash,
              user_id: input.userId ?? null,
              created_at: context.now(),
              expires_at: input.expiresAt,
              consumed_at: null,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
        return toOnboardingCode(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new ConfigError('[@ngb/store] onboarding code hash is already stored; make a new code', {
          key: 'codeHash',
          cause: error,
        });
      }
    },

    async consume(kind, codeHash, at) {
      // One statement: the check and the use cannot be split by a concurrent consumer.
      const row = await db()
        .updateTable('onboarding_codes')
        .set({ consumed_at: at })
        .where('kind', '=', kind)
        .where('code_hash', '=', codeHash)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toOnboardingCode(row);
    },

    async listUsable(kind, at) {
      const rows = await db()
        .selectFrom('onboarding_codes')
        .selectAll()
        .where('kind', '=', kind)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('seq')
        .execute();
      return rows.map(toOnboardingCode);
    },

    async discardUnused(kind, filter = {}) {
      let query = db().deleteFrom('onboarding_codes').where('kind', '=', kind).where('consumed_at', 'is', null);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
