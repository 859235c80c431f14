// Open gaps in producers' chains. A gap is only an integrity problem if the
// missing batches never come: after a nak, a Postgres outage or a restart,
// batches are redelivered out of order, and a late batch closes its gap. So a
// gap is reported once it has stayed open for `graceMs`.

export interface Gap {
  producerId: string;
  /** First and last missing sequence. */
  from: number;
  to: number;
  subject: string;
  openedMs: number;
}

/** Open ranges kept at most; past it the oldest is reported at once. */
export const MAX_OPEN_GAPS = 10_000;

export class GapTracker {
  private readonly open: Gap[] = [];
  private readonly graceMs: number;

  constructor(graceMs: number) {
    this.graceMs = graceMs;
  }

  /** Records missing sequences from..to; returns gaps that had to be reported early (too many open). */
  add(producerId: string, from: number, to: number, subject: string, nowMs: number): Gap[] {
    if (to < from) return [];
    this.open.push({ producerId, from, to, subject, openedMs: nowMs });
    return this.open.length > MAX_OPEN_GAPS
      ? this.open.splice(0, this.open.length - MAX_OPEN_GAPS)
      : [];
  }

  /** A batch arrived: it closes (part of) a gap. */
  arrived(producerId: string, seq: number): void {
    for (let i = 0; i < this.open.length; i++) {
      const g = this.open[i] as Gap;
      if (g.producerId !== producerId || seq < g.from || seq > g.to) continue;
      const parts: Gap[] = [];
      if (seq > g.from) parts.push({ ...g, to: seq - 1 });
      if (seq < g.to) parts.push({ ...g, from: seq + 1 });
      this.open.splice(i, 1, ...parts);
      return;
    }
  }

  /** Gaps open for longer than the grace period; they are removed. */
  due(nowMs: number): Gap[] {
    const out: Gap[] = [];
    for (let i = this.open.length - 1; i >= 0; i--) {
      const g = this.open[i] as Gap;
      if (nowMs - g.openedMs >= this.graceMs) out.unshift(...this.open.splice(i, 1));
    }
    return out;
  }

  get size(): number {
    return this.open.length;
  }
}

/** The sub-ranges of from..to not in `present` (sorted ascending). */
export function missingRanges(
  from: number,
  to: number,
  present: readonly number[],
): [number, number][] {
  const out: [number, number][] = [];
  let next = from;
  for (const p of present) {
    if (p < next || p > to) continue;
    if (p > next) out.push([next, p - 1]);
    next = p + 1;
  }
  if (next <= to) out.push([next, to]);
  return out;
}
