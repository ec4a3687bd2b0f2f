/**
 * Counts failed logins per account and per client address in a sliding window; after too many,
 * further attempts are refused until the window passes. Kept in memory: each server process
 * throttles on its own, which bounds guessing to (processes × limit) per window.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the key may try again, or 0 if it may now. */
  retryAfter(keys: string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.#recent(key, now);
      if (recent.length >= this.limit) wait = Math.max(wait, recent[0]! + this.windowMs - now);
    }
    return wait;
  }

  /** Records a failed attempt for each key. */
  fail(keys: string[], now: number): void {
    for (const key of keys) {
      const recent = this.#recent(key, now);
      recent.push(now);
      this.#failures.set(key, recent);
    }
    if (this.#failures.size > 100_000) this.#prune(now);
  }

  /** Forgets an account's failures after a successful login. */
  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  #prune(now: number): void {
    for (const [key, times] of this.#failures) {
      if (times.every((t) => t <= now - this.windowMs)) this.#failures.delete(key);
    }
  }
}
