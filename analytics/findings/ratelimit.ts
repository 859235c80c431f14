// A token bucket shared by every write the findings writer makes, so a storm
// of detections costs the apiserver at most `ratePerSecond` writes a second
// (after an initial `burst`). Waiters are served in order.
import { setTimeout as sleep } from "node:timers/promises";

export interface TokenBucket {
  /** Waits for a token; rejects with the signal's reason if aborted first. */
  take(signal?: AbortSignal): Promise<void>;
  /** Tokens available now (fractional). */
  available(): number;
  /** Tokens handed out in all. */
  readonly taken: number;
}

export function createTokenBucket(ratePerSecond: number, burst = ratePerSecond): TokenBucket {
  if (!(ratePerSecond > 0)) throw new RangeError("ratePerSecond must be > 0");
  const cap = Math.max(1, burst);
  let tokens = cap;
  let last = performance.now();
  let tail: Promise<void> = Promise.resolve();
  let taken = 0;
  const refill = () => {
    const now = performance.now();
    tokens = Math.min(cap, tokens + ((now - last) / 1000) * ratePerSecond);
    last = now;
  };
  const takeOne = async (signal?: AbortSignal) => {
    for (;;) {
      signal?.throwIfAborted();
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        taken++;
        return;
      }
      const waitMs = Math.ceil(((1 - tokens) / ratePerSecond) * 1000);
      await sleep(waitMs, undefined, signal ? { signal } : undefined);
    }
  };
  return {
    take(signal) {
      // Chained: one waiter at a time, in arrival order.
      const mine = tail.then(() => takeOne(signal));
      tail = mine.catch(() => {});
      return mine;
    },
    available() {
      refill();
      return tokens;
    },
    get taken() {
      return taken;
    },
  };
}
