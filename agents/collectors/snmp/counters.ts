// Pure counter arithmetic: the increase between two readings of an SNMP
// counter, with 32/64-bit wrap handling and reset detection, and the rate.

export type CounterBits = 32 | 64;

export interface CounterReading {
  value: bigint;
  /** Counter32 wraps at 2^32, Counter64 at 2^64. */
  bits: CounterBits;
  /** Milliseconds since the epoch when it was read. */
  atMs: number;
  /** sysUpTime in hundredths of a second at the same poll, if the device has it. */
  uptime?: number;
}

/**
 * One poll's counters, kept until the next poll: the time and sysUpTime once,
 * and per counter only its value — a number for a Counter32 (exact below
 * 2^32), a bigint for a Counter64. A CounterReading per counter cost ~100
 * bytes more each, and 1,000 devices with dozens of interfaces hold ~10^5.
 */
export interface CounterState {
  atMs: number;
  uptime: number | undefined;
  values: Map<string, number | bigint>;
}

export type RateResult = { rate: number; delta: bigint } | { skipped: string };

const MOD: Record<CounterBits, bigint> = { 32: 1n << 32n, 64: 1n << 64n };

/**
 * Increase from `prev` to `cur` of a counter of `bits` bits. A smaller value
 * means the counter wrapped once (RFC 2578: counters wrap at their maximum).
 */
export function counterDelta(prev: bigint, cur: bigint, bits: CounterBits): bigint {
  const mod = MOD[bits];
  const p = ((prev % mod) + mod) % mod;
  const c = ((cur % mod) + mod) % mod;
  return c >= p ? c - p : mod - p + c;
}

/**
 * Per-second rate between two readings, or why there is none:
 * - the device restarted (sysUpTime went backwards): the counters restarted
 *   too, and the difference means nothing (RFC 2578 discontinuity);
 * - a Counter64 went backwards: 64-bit counters do not wrap in the lifetime of
 *   a device, so it is a reset, not a wrap;
 * - the type changed between polls, or no time passed.
 */
export function counterRate(prev: CounterReading, cur: CounterReading): RateResult {
  if (prev.bits !== cur.bits) return { skipped: "counter type changed" };
  if (prev.uptime !== undefined && cur.uptime !== undefined && cur.uptime < prev.uptime)
    return { skipped: "device restarted (sysUpTime went backwards)" };
  const seconds = (cur.atMs - prev.atMs) / 1000;
  if (!(seconds > 0)) return { skipped: "no time between readings" };
  if (cur.bits === 64 && cur.value < prev.value) return { skipped: "Counter64 went backwards" };
  const delta = counterDelta(prev.value, cur.value, cur.bits);
  return { rate: Number(delta) / seconds, delta };
}
