// Metrics shared by the pieces in operator/kube. Several queues, informers or
// clients may report into one registry, so each metric is created once per
// registry and told apart by its labels.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

type Ctor<M> = new (cfg: {
  name: string;
  help: string;
  labelNames: readonly string[];
  registers: Registry[];
  buckets?: number[];
}) => M;

function getOrCreate<M>(
  ctor: Ctor<M>,
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  buckets?: number[],
): M {
  const existing = registry.getSingleMetric(name);
  if (existing) {
    if (!(existing instanceof ctor)) {
      throw new Error(`metric ${name} is already registered with another type`);
    }
    return existing as M;
  }
  return new ctor({ name, help, labelNames, registers: [registry], ...(buckets && { buckets }) });
}

export function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return getOrCreate(Counter as unknown as Ctor<Counter<L>>, registry, name, help, labelNames);
}

export function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Gauge<L> {
  return getOrCreate(Gauge as unknown as Ctor<Gauge<L>>, registry, name, help, labelNames);
}

export function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  return getOrCreate(
    Histogram as unknown as Ctor<Histogram<L>>,
    registry,
    name,
    help,
    labelNames,
    buckets,
  );
}

/** Sum of the series of a counter or gauge whose labels include `labels` (0 if none). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  let sum = 0;
  for (const v of values) {
    const l = v.labels as Record<string, string | number | undefined>;
    if (Object.entries(labels).every(([k, want]) => String(l[k]) === want)) sum += v.value;
  }
  return sum;
}
