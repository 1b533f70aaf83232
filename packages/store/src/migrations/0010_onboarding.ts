import { type Kysely, type Migration, sql } from 'kysely';

// Onboarding: one-time codes that claim the gateway or link an identity to a user, and the link
// itself. A user row stays one platform identity; a linked identity points at the user whose roles
// and memberships it shares (roles are only ever held by the user it points at). Only a hash of a
// code is stored, so reading the database does not hand out a way to become the owner.
const statements = [
  'ALTER TABLE users ADD COLUMN linked_user_id TEXT REFERENCES users (id) ON DELETE SET NULL',
  'CREATE INDEX users_linked_user ON users (linked_user_id)',
  `CREATE TABLE onboarding_codes (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE, created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL, consumed_at INTEGER)`,
  'CREATE INDEX onboarding_codes_unused ON onboarding_codes (kind, expires_at) WHERE consumed_at IS NULL',
  'CREATE INDEX onboarding_codes_user ON onboarding_codes (user_id)',
  `CREATE TRIGGER onboarding_codes_kind_allowed_insert BEFORE INSERT ON onboarding_codes
    WHEN NEW.kind NOT IN ('claim', 'link') BEGIN SELECT RAISE(ABORT, 'onboarding_codes.kind must be one of claim, link'); END`,
];

/** One-time claim and link codes, and identities linked to a user. */
export const migration0010Onboarding: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
