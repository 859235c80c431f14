// The store's housekeeping loop: day partitions created ahead, old ones
// dropped after the retention period, verifier_state rows outside every
// producer's replay window pruned. Safe in every replica (advisory locks).
import type pg from "pg";
import type { Logger } from "../../runtime/log.ts";
import { dropOldPartitions, ensurePartitions } from "./partitions.ts";
import { pruneVerifierState } from "./verifier-state.ts";

export interface MaintenanceOptions {
  /** Days of telemetry kept. Default 30. */
  retentionDays?: number;
  /** Days of partitions created ahead. Default 3. */
  daysAhead?: number;
  /** Default 1 hour. */
  intervalMs?: number;
  /** Replay window of the verifier (rows inside it are kept). Default 1024. */
  replayWindow?: number;
  logger?: Logger;
  now?: () => number;
}

/** Runs once now, then every intervalMs; stop() waits for a run in progress. */
export function startMaintenance(
  pool: pg.Pool,
  o: MaintenanceOptions = {},
): { stop(): Promise<void>; ran: Promise<void> } {
  const now = o.now ?? Date.now;
  const retention = o.retentionDays ?? 30;
  let running: Promise<void> = Promise.resolve();
  const once = async () => {
    try {
      const created = await ensurePartitions(pool, now(), { daysAhead: o.daysAhead ?? 3 });
      const dropped = await dropOldPartitions(pool, retention, now());
      const pruned = await pruneVerifierState(
        pool,
        now() - retention * 86_400_000,
        o.replayWindow ?? 1024,
      );
      if (created.length || dropped.length || pruned)
        o.logger?.info("store maintenance", { created, dropped, prunedBatches: pruned });
    } catch (err) {
      o.logger?.warn("store maintenance failed; retrying at the next run", { err });
    }
  };
  running = once();
  const ran = running;
  const timer = setInterval(() => {
    running = running.then(once);
  }, o.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    ran,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
