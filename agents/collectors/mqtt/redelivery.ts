// Arrival times of QoS 1/2 messages, kept so that the broker's redelivery of
// a message (DUP set, same packet id, topic and payload) gets the time of its
// first arrival, and so the same event ids: plain JSON carries no time or
// sequence of its own, and its ids include the arrival time. A message that
// was stored but not acknowledged before the connection dropped is then
// stored once. Bounded: the oldest arrivals are forgotten first.
import { hash } from "node:crypto";

export interface Delivered {
  qos: number;
  dup?: boolean;
  messageId?: number;
}

export type ArrivalClock = (
  p: Delivered,
  topic: string,
  payload: Uint8Array,
  now: number,
) => number;

export function arrivalClock(capacity = 10_000): ArrivalClock {
  const seen = new Map<string, number>();
  return (p, topic, payload, now) => {
    if (p.qos === 0 || p.messageId === undefined) return now;
    const key = `${p.messageId}\u0000${topic}\u0000${hash("sha1", payload, "base64")}`;
    const first = seen.get(key);
    if (p.dup && first !== undefined) return first;
    // A new message (packet ids are reused once acknowledged).
    seen.delete(key);
    seen.set(key, now);
    if (seen.size > capacity) seen.delete(seen.keys().next().value as string);
    return now;
  };
}
