import { setTimeout as sleep } from "node:timers/promises";

/**
 * Retries `check` until it stops throwing (and returns its value), or rethrows
 * its last error after `timeoutMs`. For state that converges (controllers,
 * consumers); the deadline is generous because a slow machine is not a bug.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(delay);
  }
}
