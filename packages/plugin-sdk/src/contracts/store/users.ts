/** Roles a user can hold: `owner` for the whole gateway, `admin` globally or for one agent. */
export type UserRoleName = 'owner' | 'admin';

/** A person on a platform. */
export interface User {
  id: string;
  channel: string;
  /** The platform's user id. Unique together with `channel`. */
  platformUserId: string;
  name?: string;
  /**
   * The user this identity is linked to (with `/link`): its roles and memberships are that user's.
   * Undefined for a user's own identity.
   */
  linkedUserId?: string;
  createdAt: number;
  updatedAt: number;
}

/** A role held by a user. */
export interface UserRole {
  userId: string;
  role: UserRoleName;
  /** The agent the role is limited to; undefined for a global role. */
  agentId?: string;
  grantedAt: number;
}

/**
 * Users and their roles. A user can have several identities (one per platform account): identities
 * linked to a user share its roles and memberships, and every method taking a user id accepts any
 * of its identities' ids.
 */
export interface UsersRepository {
  /** Creates the user, or updates the name of the existing one (when `name` is given). */
  upsert(input: { channel: string; platformUserId: string; name?: string }): Promise<User>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<User | undefined>;
  /** @returns undefined when unknown */
  getByPlatformId(channel: string, platformUserId: string): Promise<User | undefined>;
  /** @returns all users, oldest first */
  list(): Promise<User[]>;
  /**
   * Grants a role, globally or for one agent. Granting a role the user already holds is a no-op.
   * An `owner` owns the whole gateway, so it is always global.
   * @throws ConfigError for an unknown role, or `owner` with an `agentId`; NotFoundError for an unknown
   *   user or agent
   */
  grantRole(userId: string, role: UserRoleName, agentId?: string): Promise<UserRole>;
  /** @returns true when the role was held and is now revoked, false when it was not held */
  revokeRole(userId: string, role: UserRoleName, agentId?: string): Promise<boolean>;
  /** @returns the user's roles (those of the user it is linked to, for a linked identity) in the order they were granted */
  listRoles(userId: string): Promise<UserRole[]>;
  /**
   * @param filter.agentId also include users holding the role for this agent (global holders always count)
   * @returns users holding `role`, in the order the roles were granted, each once
   */
  listWithRole(role: UserRoleName, filter?: { agentId?: string }): Promise<User[]>;
  /**
   * Links an identity to a user (to the user that one is linked to, if it is itself linked): from
   * then on the identity holds that user's roles and memberships. The identity's own roles and
   * memberships move to that user, and identities linked to it follow it. Linking an identity to
   * its own user is a no-op.
   * @returns the identity as linked
   * @throws NotFoundError for an unknown identity or user
   */
  link(identityId: string, userId: string): Promise<User>;
  /** @returns the user (resolved through its link) and every identity linked to it, oldest first; empty for an unknown id */
  listIdentities(userId: string): Promise<User[]>;
}

/** Users allowed to talk to an agent in chats with a `strict` policy. */
export interface AgentMembersRepository {
  /**
   * Adds a member; adding an existing member is a no-op.
   * @throws NotFoundError for an unknown agent or user
   */
  add(agentId: string, userId: string): Promise<void>;
  /** @returns true when the user was a member and was removed */
  remove(agentId: string, userId: string): Promise<boolean>;
  isMember(agentId: string, userId: string): Promise<boolean>;
  /** @returns the members, in the order they were added */
  list(agentId: string): Promise<User[]>;
}
