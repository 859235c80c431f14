// Packets to NetFlow-like flow records. Flows are UNIDIRECTIONAL (one record
// per direction, as NetFlow v5/v9 and softflowd export them), keyed by
// (VLAN, protocol, source address/port, destination address/port). Expiry is
// driven by packet timestamps only, so replaying a capture is deterministic.
import type { IpPacket } from "./packet.ts";
import { PROTO, TCP_FLAGS } from "./packet.ts";

export interface FlowRecord {
  vlan: number;
  srcAddress: string;
  dstAddress: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  /** IP bytes (header included), as NetFlow counts them. */
  bytes: number;
  packets: number;
  startMs: number;
  endMs: number;
  /** OR of the TCP flags seen. */
  tcpFlags: number;
  /** Why the record was exported. */
  reason: "idle" | "active" | "tcp-end" | "evicted" | "flush";
}

export interface FlowTableOptions {
  /** A flow with no packet for this long ends (default 60 s). */
  idleTimeoutMs?: number;
  /** A long-lived flow is exported and restarted after this long (default 300 s). */
  activeTimeoutMs?: number;
  /**
   * After FIN or RST the flow ends once this much packet time has passed, so the
   * closing ACKs still count in it (default 5 s).
   */
  tcpEndLingerMs?: number;
  /** At most this many flows are tracked; the least recently seen is evicted (default 65536). */
  maxFlows?: number;
}

interface Entry extends FlowRecord {
  key: string;
  endedAt?: number;
}

export class FlowTable {
  /** Flows exported early because the table was full. */
  evicted = 0;
  private readonly flows = new Map<string, Entry>();
  private readonly idle: number;
  private readonly active: number;
  private readonly linger: number;
  private readonly max: number;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(opts: FlowTableOptions = {}) {
    this.idle = opts.idleTimeoutMs ?? 60_000;
    this.active = opts.activeTimeoutMs ?? 300_000;
    this.linger = opts.tcpEndLingerMs ?? 5_000;
    this.max = Math.max(1, opts.maxFlows ?? 65_536);
  }

  get size(): number {
    return this.flows.size;
  }

  /** Accounts one packet seen at `tsMs`; returns the records that ended by then. */
  add(p: IpPacket, tsMs: number): FlowRecord[] {
    const out = this.expire(tsMs);
    const vlan = p.vlans[0] ?? 0;
    const key = `${vlan}|${p.protocol}|${p.src}|${p.srcPort}|${p.dst}|${p.dstPort}`;
    let f = this.flows.get(key);
    if (f) {
      const why = this.due(f, tsMs);
      if (why) {
        out.push(this.finish(f, why));
        f = undefined;
      }
    }
    if (!f) {
      if (this.flows.size >= this.max) {
        // Map iteration order is insertion order; re-inserting on every packet keeps
        // the least recently seen flow first.
        const oldest = this.flows.values().next().value as Entry;
        this.evicted++;
        out.push(this.finish(oldest, "evicted"));
      }
      f = {
        key,
        vlan,
        srcAddress: p.src,
        dstAddress: p.dst,
        srcPort: p.srcPort,
        dstPort: p.dstPort,
        protocol: p.protocol,
        bytes: 0,
        packets: 0,
        startMs: tsMs,
        endMs: tsMs,
        tcpFlags: 0,
        reason: "flush",
      };
    } else {
      this.flows.delete(key);
    }
    this.flows.set(key, f);
    f.packets += 1;
    f.bytes += p.ipLength;
    f.endMs = Math.max(f.endMs, tsMs);
    if (p.protocol === PROTO.TCP && p.tcp) {
      f.tcpFlags |= p.tcp.flags;
      if (f.endedAt === undefined && p.tcp.flags & (TCP_FLAGS.FIN | TCP_FLAGS.RST))
        f.endedAt = tsMs;
      // A RST ends the connection both ways: the reverse flow (e.g. the lone SYN
      // of a refused connect, as in a port scan) ends with it rather than idling out.
      if (p.tcp.flags & TCP_FLAGS.RST) {
        const rev = this.flows.get(
          `${vlan}|${p.protocol}|${p.dst}|${p.dstPort}|${p.src}|${p.srcPort}`,
        );
        if (rev && rev.endedAt === undefined) rev.endedAt = tsMs;
      }
    }
    return out;
  }

  /** Exports flows whose idle, active or TCP-end time has passed at `nowMs`. */
  expire(nowMs: number): FlowRecord[] {
    // Sweeping is O(flows): do it at most once a second of packet time.
    if (nowMs - this.lastSweep < 1000) return [];
    this.lastSweep = nowMs;
    const out: FlowRecord[] = [];
    for (const f of this.flows.values()) {
      const why = this.due(f, nowMs);
      if (why) out.push(this.finish(f, why));
    }
    return out;
  }

  private due(f: Entry, nowMs: number): FlowRecord["reason"] | undefined {
    if (nowMs - f.endMs >= this.idle) return "idle";
    if (nowMs - f.startMs >= this.active) return "active";
    if (f.endedAt !== undefined && nowMs - f.endedAt >= this.linger) return "tcp-end";
    return undefined;
  }

  /** Exports every flow (end of a capture file, shutdown). */
  flush(): FlowRecord[] {
    const out = [...this.flows.values()].map((f) => this.finish(f, "flush"));
    return out;
  }

  private finish(f: Entry, reason: FlowRecord["reason"]): FlowRecord {
    this.flows.delete(f.key);
    const { key: _k, endedAt: _e, ...rec } = f;
    return { ...rec, reason };
  }
}
