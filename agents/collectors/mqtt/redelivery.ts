// Arrival times of QoS 1/2 messages, kept so that the broker's redelivery of
// a message (DUP set, same packet id, topic and payload) gets the time of its
// first arrival, and so the same event ids: plain JSON carries no time or
// sequence of its own, and its ids include the arrival time. A message that
// was stored but not acknowledged before the connection dropped is then
// stored once. Bounded: the oldest arrivals are forgotten first.

export interface Delivered {
  qos: number;
  dup?: boolean;
  messageId?: number;
}

/** `hash`: the message's messageHash (messages.ts: its topic and payload). */
export type ArrivalClock = (p: Delivered, hash: string, now: number) => number;

export function arrivalClock(capacity = 10_000): ArrivalClock {
  const seen = new Map<string, number>();
  return (p, hash, now) => {
    if (p.qos === 0 || p.messageId === undefined) return now;
    const key = `${p.messageId}\u0000${hash}`;
    const first = seen.get(key);
    if (p.dup && first !== undefined) return first;
    // A new message (packet ids are reused once acknowledged).
    seen.delete(key);
    seen.set(key, now);
    if (seen.size > capacity) seen.delete(seen.keys().next().value as string);
    return now;
  };
}
