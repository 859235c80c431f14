// Drains the outbox into JetStream in sequence order, one batch at a time,
// marking batches shipped only after their PubAcks (the server stored them),
// once per round of up to readAhead batches. A failure keeps the batch at the
// head and retries it with the same msgId after a backoff, so nothing is
// lost, reordered, or stored twice.
import { msgId } from "../../proto/bus/conventions.ts";
import type { Publisher } from "../../proto/bus/types.ts";
import type { Logger } from "../../runtime/log.ts";
import type { Outbox } from "./outbox.ts";

export interface ShipperOptions {
  outbox: Outbox;
  publisher: Publisher;
  logger: Logger;
  /** Records read from disk per round. */
  readAhead?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  onShipped?: (batches: number, bytes: number) => void;
  onError?: (err: unknown) => void;
}

export class Shipper {
  private readonly o: Required<Omit<ShipperOptions, "onShipped" | "onError">> &
    Pick<ShipperOptions, "onShipped" | "onError">;
  private wakeUp: (() => void) | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private connectedOk = true;

  constructor(o: ShipperOptions) {
    this.o = { readAhead: 64, backoffInitialMs: 200, backoffMaxMs: 5_000, ...o };
  }

  /** Whether the last publish attempt succeeded. */
  get healthy(): boolean {
    return this.connectedOk;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New batches are in the outbox. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves when the outbox is empty, or after `timeoutMs`; false if batches are left. */
  async drained(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.o.outbox.pending > 0 && Date.now() < until) await sleep(50);
    return this.o.outbox.pending === 0;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = this.o.backoffInitialMs;
    while (!this.stopping) {
      const records = await this.o.outbox.next(this.o.readAhead);
      if (records.length === 0) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          setTimeout(resolve, 1_000).unref?.();
        });
        this.wakeUp = undefined;
        continue;
      }
      // Marked shipped once per round (one `shipped` file write, not one per
      // batch); a crash before it only re-sends batches JetStream dedups by msgId.
      let stored = 0;
      let failed = false;
      for (const r of records) {
        if (this.stopping) break;
        try {
          await this.o.publisher.publish(r.subject, r.batch, msgId(r.producer, r.seq));
          stored = r.seq;
          this.o.onShipped?.(1, r.batch.length);
          this.connectedOk = true;
          backoff = this.o.backoffInitialMs;
        } catch (err) {
          this.connectedOk = false;
          failed = true;
          this.o.onError?.(err);
          this.o.logger.warn("publish failed; batch stays in the outbox", {
            seq: r.seq,
            err: err instanceof Error ? err.message : String(err),
            retryInMs: backoff,
          });
          break;
        }
      }
      if (stored) {
        try {
          await this.o.outbox.markShipped(stored);
        } catch (err) {
          this.o.onError?.(err);
          this.o.logger.warn(
            "cannot persist the shipped position; after a restart these batches ship again (JetStream drops the duplicates)",
            {
              seq: stored,
              err: err instanceof Error ? err.message : String(err),
            },
          );
        }
      }
      if (failed) {
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.backoffMaxMs);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
