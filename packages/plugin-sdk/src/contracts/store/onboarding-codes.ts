/** What a one-time onboarding code is for: claiming the gateway, or linking another identity to a user. */
export type OnboardingCodeKind = 'claim' | 'link';

/**
 * A one-time code of the onboarding: `claim` makes its first sender the gateway's owner, `link`
 * links its sender's identity to the user who asked for it. Only a hash of the code is stored.
 */
export interface OnboardingCode {
  id: string;
  kind: OnboardingCodeKind;
  /** A hash of the code (the code itself is shown once and never stored). Unique. */
  codeHash: string;
  /** For `link`: the user the code links to. */
  userId?: string;
  createdAt: number;
  /** After this time (epoch ms) the code can no longer be consumed. */
  expiresAt: number;
  /** When the code was used; undefined while it can still be used. */
  consumedAt?: number;
}

/** One-time onboarding codes. */
export interface OnboardingCodesRepository {
  /**
   * Stores a new code.
   * @throws ConfigError for an unknown kind, or when the hash is already stored; NotFoundError for an unknown user
   */
  create(input: { kind: OnboardingCodeKind; codeHash: string; userId?: string; expiresAt: number }): Promise<OnboardingCode>;
  /**
   * Uses a code, atomically: of two calls with the same code, exactly one gets it.
   * @param at the time of use: a code whose `expiresAt` is at or before it is not consumed
   * @returns the consumed code, or undefined when no unused, unexpired code of this kind has the hash
   */
  consume(kind: OnboardingCodeKind, codeHash: string, at: number): Promise<OnboardingCode | undefined>;
  /** @returns the codes of this kind that can still be used at `at`, oldest first */
  listUsable(kind: OnboardingCodeKind, at: number): Promise<OnboardingCode[]>;
  /**
   * Removes every unused code of this kind (of one user, when given), expired or not.
   * @returns how many were removed
   */
  discardUnused(kind: OnboardingCodeKind, filter?: { userId?: string }): Promise<number>;
}
