// The work queue is pure logic with real (small) timers: the tests assert
// ordering and counts, never durations.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { Registry } from "prom-client";
import { createLogger } from "../../runtime/log.ts";
import { metricValue } from "./metrics.ts";
import {
  createRateLimiter,
  createWorkQueue,
  runWorkers,
  TerminalError,
  type WorkQueue,
} from "./workqueue.ts";

const quiet = createLogger("test", { write: () => {} });

function newQueue(opts: Partial<Parameters<typeof createWorkQueue>[0]> = {}) {
  const registry = new Registry();
  const queue = createWorkQueue({ name: "test", registry, ...opts });
  const metric = (what: string) =>
    metricValue(registry, `amoskys_operator_workqueue_${what}`, { name: "test" });
  return { queue, registry, metric };
}

/** Waits until `cond` holds; fails (instead of hanging) if it does not within a generous deadline. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Observations of the work-duration histogram (one per done()). */
async function workCount(registry: Registry): Promise<number | undefined> {
  const hist = registry.getSingleMetric("amoskys_operator_workqueue_work_duration_seconds");
  const values = (await hist?.get())?.values ?? [];
  return values.find((v) => (v as { metricName?: string }).metricName?.endsWith("_count"))?.value;
}

async function getAll(queue: WorkQueue, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = await queue.get();
    assert.ok(key !== undefined);
    keys.push(key);
    queue.done(key);
  }
  return keys;
}

describe("rate limiter", () => {
  it("backs off per key exponentially from the base delay up to the cap", () => {
    const rl = createRateLimiter({ baseDelayMs: 5, maxDelayMs: 100, qps: 0 });
    const delays = Array.from({ length: 7 }, () => rl.when("a"));
    assert.deepEqual(delays, [5, 10, 20, 40, 80, 100, 100]);
    assert.equal(rl.numRequeues("a"), 7);
    assert.equal(rl.when("b"), 5, "keys back off independently");
    rl.forget("a");
    assert.equal(rl.numRequeues("a"), 0);
    assert.equal(rl.when("a"), 5, "forget resets the backoff");
  });

  it("defaults to 5 ms .. 5 min", () => {
    const rl = createRateLimiter({ qps: 0 });
    assert.equal(rl.when("a"), 5);
    for (let i = 0; i < 100; i++) rl.when("a");
    assert.equal(rl.when("a"), 300_000);
  });

  it("limits all keys together with a token bucket", () => {
    let now = 0;
    const rl = createRateLimiter({ baseDelayMs: 1, maxDelayMs: 1, qps: 2, burst: 3 }, () => now);
    // The burst goes through at once, then one token every 500 ms, reserved in order.
    const delays = ["a", "b", "c", "d", "e"].map((k) => rl.when(k));
    assert.deepEqual(delays, [1, 1, 1, 500, 1000]);
    now = 3000; // the bucket refills, up to its size
    assert.deepEqual(
      ["f", "g", "h", "i"].map((k) => rl.when(k)),
      [1, 1, 1, 500],
    );
  });
});

describe("work queue", () => {
  it("hands keys out in order and queues a key at most once", async () => {
    const { queue, metric } = newQueue();
    for (const k of ["a", "b", "a", "c", "b"]) queue.add(k);
    assert.equal(queue.len, 3);
    assert.equal(await metric("adds_total"), 3);
    assert.equal(await metric("depth"), 3);
    assert.deepEqual(await getAll(queue, 3), ["a", "b", "c"]);
    assert.equal(queue.len, 0);
    assert.equal(await metric("depth"), 0);
  });

  it("re-queues a key added while it is processed only after done()", async () => {
    const { queue } = newQueue();
    queue.add("a");
    queue.add("b");
    const a = await queue.get();
    assert.equal(a, "a");
    queue.add("a");
    queue.add("a");
    assert.equal(queue.len, 1, "a is being processed: not queued again yet");
    assert.equal(await queue.get(), "b");
    assert.equal(queue.len, 0);
    queue.done("a");
    assert.equal(queue.len, 1);
    assert.equal(await queue.get(), "a");
    queue.done("a");
    queue.done("b");
    assert.equal(queue.len, 0);
  });

  it("get() waits for the next add", async () => {
    const { queue } = newQueue();
    const next = queue.get();
    queue.add("x");
    assert.equal(await next, "x");
  });

  it("delays addAfter() keys, the earliest of several delays winning", async () => {
    const { queue } = newQueue();
    queue.addAfter("slow", 40);
    queue.addAfter("k", 80);
    queue.addAfter("k", 2); // earlier: replaces the 80 ms delay
    queue.addAfter("k", 60); // later than the pending 2 ms: ignored
    queue.add("now");
    assert.equal(queue.len, 1);
    // Had the 80 ms delay been kept or the 60 ms one taken, k would come after "slow".
    assert.deepEqual(await getAll(queue, 3), ["now", "k", "slow"]);
    // Had a replaced delay still been pending, k would come again before "end".
    queue.addAfter("end", 120);
    assert.equal(await queue.get(), "end");
    assert.equal(queue.len, 0);
  });

  it("addAfter(0) adds at once", () => {
    const { queue } = newQueue();
    queue.addAfter("a", 0);
    assert.equal(queue.len, 1);
  });

  it("addRateLimited() retries with backoff and counts retries; forget() resets", async () => {
    const { queue, metric } = newQueue({ baseDelayMs: 1, maxDelayMs: 4 });
    queue.addRateLimited("a");
    queue.addRateLimited("a"); // a's delay is pending: no second add
    assert.equal(queue.len, 0);
    assert.equal(await queue.get(), "a");
    queue.done("a");
    assert.equal(queue.numRequeues("a"), 2);
    assert.equal(await metric("retries_total"), 2);
    queue.forget("a");
    assert.equal(queue.numRequeues("a"), 0);
    assert.equal(queue.len, 0);
  });

  it("shutdown() wakes waiting get()s, drops queued and delayed keys, ignores adds", async () => {
    const { queue } = newQueue();
    const waiting = queue.get();
    await queue.shutdown();
    assert.equal(await waiting, undefined);
    const { queue: q2 } = newQueue();
    q2.add("a");
    q2.addAfter("b", 5);
    await q2.shutdown();
    assert.equal(q2.len, 0);
    assert.equal(await q2.get(), undefined);
    q2.add("c");
    q2.addRateLimited("d");
    assert.equal(q2.len, 0);
    assert.equal(await q2.get(), undefined);
    assert.equal(q2.shuttingDown, true);
  });

  it("shutdown() resolves only once the keys in flight are done", async () => {
    const { queue, registry } = newQueue();
    queue.add("a");
    queue.add("b");
    const a = await queue.get();
    let drained = false;
    const stopped = queue.shutdown().then(() => {
      drained = true;
    });
    await tick();
    assert.equal(drained, false);
    assert.equal(await queue.get(), undefined, "b was dropped");
    queue.add("a"); // ignored: shutting down
    queue.done(a as string);
    await stopped;
    assert.equal(drained, true);
    assert.equal(queue.len, 0);
    assert.equal(await workCount(registry), 1);
  });
});

describe("runWorkers", () => {
  it("never reconciles one key concurrently, and reconciles it again if it changed meanwhile", async () => {
    const { queue, registry } = newQueue();
    const active = new Map<string, number>();
    const calls = new Map<string, number>();
    let maxActive = 0;
    let overlaps = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const workers = runWorkers(
      queue,
      4,
      async (key) => {
        const n = (active.get(key) ?? 0) + 1;
        if (n > 1) overlaps++;
        active.set(key, n);
        maxActive = Math.max(
          maxActive,
          [...active.values()].reduce((s, v) => s + v, 0),
        );
        calls.set(key, (calls.get(key) ?? 0) + 1);
        if (key === "hot" && calls.get(key) === 1) await gate;
        await tick();
        active.set(key, (active.get(key) ?? 1) - 1);
        return {};
      },
      { logger: quiet },
    );
    queue.add("hot");
    await tick();
    for (let i = 0; i < 10; i++) queue.add("hot"); // while the first reconcile is blocked
    for (const k of ["a", "b", "c"]) queue.add(k);
    await until(() => calls.get("c") === 1, "c to be reconciled");
    release();
    await until(() => calls.get("hot") === 2 && queue.len === 0, "hot to be reconciled again");
    await queue.shutdown();
    await workers;
    assert.equal(overlaps, 0);
    assert.ok(maxActive > 1, "other keys ran in parallel with the blocked one");
    assert.deepEqual(Object.fromEntries(calls), { hot: 2, a: 1, b: 1, c: 1 });
    assert.equal(await workCount(registry), 5);
  });

  it("retries failures with backoff, forgets on success, honours requeueAfterMs", async () => {
    const { queue, metric } = newQueue({ baseDelayMs: 1 });
    const seen: string[] = [];
    let flaky = 0;
    let periodic = 0;
    let requeuesAtSuccess = -1;
    let finish: () => void = () => {};
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    const workers = runWorkers(
      queue,
      2,
      async (key) => {
        seen.push(key);
        if (key === "flaky" && ++flaky < 3) throw new Error(`transient ${flaky}`);
        if (key === "flaky") requeuesAtSuccess = queue.numRequeues("flaky");
        if (key === "periodic" && ++periodic < 3) return { requeueAfterMs: 1 };
        if (flaky === 3 && periodic === 3) finish();
        return undefined;
      },
      { logger: quiet },
    );
    queue.add("flaky");
    queue.add("periodic");
    let isFinished = false;
    void finished.then(() => {
      isFinished = true;
    });
    await until(() => isFinished, "both keys to settle");
    await queue.shutdown();
    await workers;
    assert.equal(seen.filter((k) => k === "flaky").length, 3);
    assert.equal(seen.filter((k) => k === "periodic").length, 3);
    assert.equal(requeuesAtSuccess, 2, "two rate-limited retries before the success");
    assert.equal(queue.numRequeues("flaky"), 0, "success forgets the failures");
    assert.equal(await metric("retries_total"), 2, "requeueAfterMs is not a retry");
  });

  it("does not retry a TerminalError", async () => {
    const { queue, metric } = newQueue({ baseDelayMs: 1 });
    const seen: string[] = [];
    const lines: string[] = [];
    const logger = createLogger("test", { write: (l) => lines.push(l) });
    const workers = runWorkers(
      queue,
      1,
      async (key) => {
        seen.push(key);
        if (key === "bad") throw new TerminalError("spec.x: invalid");
        return {};
      },
      { logger },
    );
    queue.add("bad");
    queue.add("sentinel");
    await until(() => seen.includes("sentinel"), "the sentinel");
    await queue.shutdown();
    await workers;
    assert.deepEqual(seen, ["bad", "sentinel"]);
    assert.equal(await metric("retries_total"), 0);
    assert.equal(queue.numRequeues("bad"), 0);
    const logged = lines.map((l) => JSON.parse(l));
    assert.equal(logged[0].level, "error");
    assert.equal(logged[0].key, "bad");
    assert.equal(logged[0].error.name, "TerminalError");
  });

  it("exits when the queue shuts down while workers wait", async () => {
    const { queue } = newQueue();
    const workers = runWorkers(queue, 3, async () => ({}), { logger: quiet });
    await tick();
    await queue.shutdown();
    await workers; // resolves: every worker got undefined
    assert.equal(queue.shuttingDown, true);
  });
});
