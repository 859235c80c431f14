// A shared limiter for SNMP polls: any number of pollers, at most maxInFlight
// polls running at once, the rest waiting in FIFO order. The runtime creates
// one and passes it to every poller, so 1,000 devices never mean 1,000
// sockets and bursts of requests at the same instant.
import { Gauge, type Registry } from "prom-client";

export interface SnmpScheduler {
  readonly maxInFlight: number;
  /** Polls running now. */
  readonly inFlight: number;
  /** Polls waiting for a slot. */
  readonly queued: number;
  /** The most polls ever running at once (for tests and the bench). */
  readonly maxObserved: number;
  /** Runs `task` when a slot is free; resolves or rejects with it. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

const gauges = new WeakMap<Registry, { inFlight: Gauge; queued: Gauge }>();

export function createSnmpScheduler(
  opts: { maxInFlight?: number; registry?: Registry } = {},
): SnmpScheduler {
  const max = Math.max(1, Math.floor(opts.maxInFlight ?? 64));
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let maxObserved = 0;
  let metrics: { inFlight: Gauge; queued: Gauge } | undefined;
  if (opts.registry) {
    metrics = gauges.get(opts.registry);
    if (!metrics) {
      const registers = [opts.registry];
      metrics = {
        inFlight: new Gauge({
          name: "amoskys_agent_snmp_polls_in_flight",
          help: "SNMP polls running now.",
          registers,
        }),
        queued: new Gauge({
          name: "amoskys_agent_snmp_polls_queued",
          help: "SNMP polls waiting for a slot of the shared limiter.",
          registers,
        }),
      };
      gauges.set(opts.registry, metrics);
    }
  }
  const report = () => {
    metrics?.inFlight.set(inFlight);
    metrics?.queued.set(waiting.length);
  };
  // A finishing poll hands its slot straight to the next waiter, so a poll
  // arriving in between can never take it and exceed the bound.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
    report();
  };
  return {
    maxInFlight: max,
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return waiting.length;
    },
    get maxObserved() {
      return maxObserved;
    },
    async run(task) {
      if (inFlight >= max) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          report();
        });
      } else {
        inFlight++;
      }
      if (inFlight > maxObserved) maxObserved = inFlight;
      report();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
