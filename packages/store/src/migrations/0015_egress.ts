import { type Kysely, type Migration, sql } from 'kysely';

// An agent's network is "none" or an egress allowlist ({ "allow": [...] }). The bridge mode "egress"
// of earlier versions was refused by every runtime, so it meant no network: it becomes "none". The
// repositories check and normalize the allowlist; these triggers hold the shape for writes that bypass
// them (a JSON column that is not JSON at all stays readable: the repository reads it as the defaults).
const shapeIsWrong = `json_valid(NEW.sandbox)
  AND COALESCE(json_extract(NEW.sandbox, '$.network'), 'none') IS NOT 'none'
  AND NOT (json_type(NEW.sandbox, '$.network') IS 'object' AND json_type(NEW.sandbox, '$.network.allow') IS 'array')`;
const raise = `SELECT RAISE(ABORT, 'agents.sandbox.network must be "none" or { "allow": [domains] }')`;

const statements = [
  `UPDATE agents SET sandbox = json_set(sandbox, '$.network', 'none')
    WHERE json_valid(sandbox) AND json_extract(sandbox, '$.network') = 'egress'`,
  `CREATE TRIGGER agents_sandbox_network_insert BEFORE INSERT ON agents WHEN ${shapeIsWrong} BEGIN ${raise}; END`,
  `CREATE TRIGGER agents_sandbox_network_update BEFORE UPDATE OF sandbox ON agents WHEN ${shapeIsWrong} BEGIN ${raise}; END`,
  // What the sandboxes' egress proxies did, per session (the session view lists it after a restart).
  `CREATE TABLE egress_requests (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, turn_id TEXT,
    method TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, address TEXT,
    allowed INTEGER NOT NULL, reason TEXT, bytes_up INTEGER NOT NULL, bytes_down INTEGER NOT NULL,
    started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL)`,
  'CREATE INDEX egress_requests_session_seq ON egress_requests (session_id, seq)',
];

/** Egress allowlists instead of the bridge mode, and the record of egress requests. */
export const migration0015Egress: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
