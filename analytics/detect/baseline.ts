// A robust per-(device, metric) baseline: median and MAD over a sliding
// sample of the last SAMPLE values (outliers barely move them, unlike a mean
// and standard deviation), plus an EWMA for people to read in summaries.

/** Values kept per baseline. */
export const SAMPLE = 256;
/** MAD of a normal distribution is 0.6745 σ: scale it to read as σ. */
const MAD_TO_SIGMA = 1.4826;
const EWMA_ALPHA = 0.05;

export interface BaselineState {
  /** Event time of the first sample (learning runs from it). */
  firstMs: number;
  /** Samples seen in all (not only those kept). */
  n: number;
  ring: number[];
  pos: number;
  ewma: number;
}

export function newBaseline(firstMs: number): BaselineState {
  return { firstMs, n: 0, ring: [], pos: 0, ewma: 0 };
}

export function addSample(b: BaselineState, v: number): void {
  if (b.ring.length < SAMPLE) b.ring.push(v);
  else {
    b.ring[b.pos] = v;
    b.pos = (b.pos + 1) % SAMPLE;
  }
  b.ewma = b.n === 0 ? v : b.ewma + EWMA_ALPHA * (v - b.ewma);
  b.n++;
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[m] as number)
    : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
}

export interface Score {
  median: number;
  /** MAD scaled to σ, floored (see below). */
  sigma: number;
  /** |v − median| / sigma. */
  z: number;
}

/**
 * How far `v` is from the baseline. A constant series has MAD 0, so sigma is
 * floored at 0.1 % of |median| (and 1e-6): a register that never moved and
 * then does is an anomaly, as it should be in OT.
 */
export function score(b: BaselineState, v: number): Score {
  const sorted = [...b.ring].sort((x, y) => x - y);
  const med = median(sorted);
  const dev = sorted.map((x) => Math.abs(x - med)).sort((x, y) => x - y);
  const sigma = Math.max(MAD_TO_SIGMA * median(dev), Math.abs(med) * 1e-3, 1e-6);
  return { median: med, sigma, z: Math.abs(v - med) / sigma };
}
