/** A token bucket's state: the tokens left when it was last read. */
export interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Refills `bucket` (at most `capacity` tokens, `capacity` per `perSeconds`) to `now` and takes one
 * token; when none is left, says how long until one is.
 */
export function takeToken(
  bucket: TokenBucket,
  capacity: number,
  perSeconds: number,
  now: number,
): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
  const msPerToken = (perSeconds * 1000) / capacity;
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(capacity, bucket.tokens + elapsed / msPerToken);
  bucket.updatedAt = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { allowed: true };
  }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000)) };
}
