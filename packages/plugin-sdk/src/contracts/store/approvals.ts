/** Approval to serve a new chat, or to let an unknown sender talk. */
export type ApprovalKind = 'chat' | 'sender';
/** Life of an approval. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied';

/** A request waiting for the owner's decision, answered with its one-time code. */
export interface Approval {
  id: string;
  kind: ApprovalKind;
  chatId: string;
  userId?: string;
  messageId?: string;
  /** One-time code the owner answers with. Unique. */
  code: string;
  status: ApprovalStatus;
  requestedAt: number;
  resolvedAt?: number;
}

/** Approvals. */
export interface ApprovalsRepository {
  /**
   * @throws NotFoundError for an unknown chat, user or message; ConfigError when the code is already used
   */
  create(input: {
    kind: ApprovalKind;
    chatId: string;
    userId?: string;
    messageId?: string;
    code: string;
    requestedAt: number;
  }): Promise<Approval>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Approval | undefined>;
  /** @returns the oldest pending approval of this kind for the chat (and user, when given), or undefined */
  findPending(query: { kind: ApprovalKind; chatId: string; userId?: string }): Promise<Approval | undefined>;
  /** @returns undefined for an unknown code */
  getByCode(code: string): Promise<Approval | undefined>;
  /**
   * Decides a pending approval. A decision is final: resolving an approval that is no longer pending
   * returns it unchanged.
   * @throws NotFoundError for an unknown id
   */
  resolve(id: string, status: 'approved' | 'denied', resolvedAt: number): Promise<Approval>;
  list(filter?: { status?: ApprovalStatus }): Promise<Approval[]>;
}

/** Where a destination points: a chat (store id) or another agent. */
export type DestinationTarget = { type: 'chat'; chatId: string } | { type: 'agent'; agentId: string };

/** A named target an agent can send to (`send_message` to "family", `send_to_agent` "research"). */
export interface Destination {
  id: string;
  agentId: string;
  name: string;
  target: DestinationTarget;
  createdAt: number;
  updatedAt: number;
}

/** Named destinations per agent. */
export interface DestinationsRepository {
  /**
   * Creates or replaces the destination named `name` of the agent.
   * @throws NotFoundError for an unknown agent or target
   */
  set(input: { agentId: string; name: string; target: DestinationTarget }): Promise<Destination>;
  /** @returns undefined when the agent has no destination of that name */
  get(agentId: string, name: string): Promise<Destination | undefined>;
  /** @returns the agent's destinations, oldest first */
  list(agentId: string): Promise<Destination[]>;
  /** @throws NotFoundError (entity `destination`, id `agentId/name`) when there is none */
  remove(agentId: string, name: string): Promise<void>;
}

/** Small JSON values by namespace and key (plugin state, cursors, settings). */
export interface KvRepository {
  /** @returns the stored value, or undefined */
  get(namespace: string, key: string): Promise<unknown>;
  /**
   * Stores a JSON-serializable value, replacing any previous one.
   * @throws TypeError when JSON cannot hold the value (undefined, a function, a bigint, a cycle)
   */
  set(namespace: string, key: string, value: unknown): Promise<void>;
  /** @returns true when a value was deleted */
  delete(namespace: string, key: string): Promise<boolean>;
}
