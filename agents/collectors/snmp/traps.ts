// The SNMP trap/inform receiver (v1, v2c, v3). We own the UDP socket and
// hand each datagram to net-snmp's Receiver ourselves, so that every
// datagram is first bounded and attributed to a Device (unknown sources are
// counted and dropped before any parsing), and every outcome, including the
// errors net-snmp reports through its callback, becomes an event or a count.
// v3 users are the v3 credentials of the directory's devices.
import { createHash } from "node:crypto";
import dgram from "node:dgram";
import { EventEmitter } from "node:events";
import snmp from "net-snmp";
import type { AgentDevice } from "../../../operator/manifests/agent-config.ts";
import type {
  Collector,
  CollectorContext,
  DeviceDirectory,
  TelemetryEvent,
} from "../../collector.ts";
import { Capability, event, Source, sample } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import { authProtocol, privProtocol, readCredentials } from "./session.ts";
import { MAX_DATAGRAM, peekHeader, type RawPdu, type SnmpVersion, toTrap } from "./trap-decode.ts";

export interface TrapReceiverOptions {
  port: number;
  host?: string;
}

export interface TrapReceiver extends Collector {
  /** The bound UDP port (useful with port 0). */
  readonly port: number;
  /** Processes one datagram as if it arrived from `from`; never throws. For the fuzzer. */
  handle(buf: Uint8Array, from: { address: string; port: number }): void;
}

const PROTOCOL = "snmp_trap";

interface Pending {
  device: AgentDevice;
  buf: Buffer;
  version: SnmpVersion;
  rinfo: dgram.RemoteInfo;
  handled: boolean;
}

/** net-snmp sockets are created through this: the receiver must not bind its own. */
const inertDgram = {
  createSocket() {
    const s = new EventEmitter() as EventEmitter & { bind(): void; close(cb?: () => void): void };
    s.bind = () => {};
    s.close = (cb) => cb?.();
    return s;
  },
};

function errorReason(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: number; error?: { message?: string } };
  const msg = String(e?.message ?? err);
  if (e?.name === "ProcessingError") return "undecodable";
  if (/Local user not found/i.test(msg)) return "v3 unknown user";
  if (e?.code === snmp.ResponseInvalidCode.EAuthFailure || /digest/i.test(msg))
    return "v3 authentication failed";
  if (e?.code === snmp.ResponseInvalidCode.ECouldNotDecrypt || /decrypt/i.test(msg))
    return "v3 decryption failed";
  if (/requires (authentication|privacy)/i.test(msg)) return "v3 security level too low";
  if (/Unexpected PDU type|Only .*GetRequests/i.test(msg)) return "not a notification";
  return "rejected";
}

export function createTrapReceiver(
  opts: TrapReceiverOptions,
  directory: DeviceDirectory,
  ctx: CollectorContext,
): TrapReceiver {
  const metrics = collectorMetrics(ctx.registry);
  const log = ctx.logger.child({ collector: "snmp-trap-receiver" });
  const seen = new Set<string>();
  const emits = new Set<Promise<void>>();
  let socket: dgram.Socket | undefined;
  let receiver: {
    onMsg(socket: unknown, buf: Buffer, rinfo: dgram.RemoteInfo): void;
    getAuthorizer(): {
      addCommunity(c: string): void;
      deleteCommunity(c: string): void;
      getCommunity(c: string): string | null;
      addUser(u: snmp.User): void;
    };
  };
  let pending: Pending | undefined;
  let boundPort = opts.port;

  const emit = (events: TelemetryEvent[]) => {
    const p = ctx.sink
      .emit(events)
      .then(() => metrics.events.inc({ protocol: PROTOCOL }, events.length))
      .catch((err) => log.warn("emit failed", { err }));
    emits.add(p);
    void p.finally(() => emits.delete(p));
  };

  const base = (device: AgentDevice, from: string, idParts: (string | number)[]) => {
    const now = ctx.now();
    return {
      device,
      source: Source.SOURCE_PROTOCOL_SNMP_TRAP,
      address: from,
      observedMs: now,
      collectedMs: now,
      idParts,
    };
  };

  const firstContact = (device: AgentDevice, from: string): TelemetryEvent[] => {
    const key = `${device.namespace}/${device.name}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      event(base(device, from, ["status", "first", ctx.now()]), {
        status: {
          protocol: Source.SOURCE_PROTOCOL_SNMP_TRAP,
          reachable: true,
          latencyMs: 0,
          capability: Capability.CAPABILITY_REAL,
          reason: "",
        },
      }),
    ];
  };

  const malformed = (device: AgentDevice, buf: Uint8Array, from: string, reason: string) => {
    metrics.malformed.inc({ protocol: PROTOCOL, reason });
    const hash = createHash("sha256").update(buf).digest("hex");
    emit([
      ...firstContact(device, from),
      event(base(device, from, ["malformed", hash]), {
        malformed: { protocol: Source.SOURCE_PROTOCOL_SNMP_TRAP, reason, ...sample(buf) },
      }),
    ]);
  };

  // net-snmp calls this synchronously from onMsg, so `pending` is the datagram it is about.
  const callback = (
    err: unknown,
    data?: { pdu?: RawPdu & { user?: unknown }; rinfo?: dgram.RemoteInfo },
  ) => {
    try {
      const p = pending;
      if (!p || p.handled) return;
      p.handled = true;
      const from = p.rinfo.address;
      if (err || !data?.pdu) {
        const reason = errorReason(err);
        log.debug("trap rejected", {
          from,
          reason,
          error: String((err as Error)?.message ?? err).slice(0, 200),
        });
        malformed(p.device, p.buf, from, reason);
        return;
      }
      const securityName =
        p.version === "v3" && typeof data.pdu.user === "string" ? data.pdu.user : "";
      const r = toTrap(p.version, data.pdu, from, securityName);
      if (!r.ok) {
        malformed(p.device, p.buf, from, r.reason);
        return;
      }
      const hash = createHash("sha256").update(p.buf).digest("hex");
      emit([
        ...firstContact(p.device, from),
        event(base(p.device, from, ["trap", hash]), { trap: r.trap }),
      ]);
    } catch (e) {
      log.error("trap handling failed", { err: e });
    }
  };

  function handle(input: Uint8Array, from: { address: string; port: number }): void {
    try {
      const rinfo: dgram.RemoteInfo = {
        address: from.address,
        port: from.port,
        family: "IPv4",
        size: input.length,
      };
      const device = directory.bySource("snmpTraps", from.address);
      if (!device) {
        metrics.unknownSource.inc({ protocol: PROTOCOL });
        return;
      }
      if (input.length > MAX_DATAGRAM) {
        malformed(device, input, from.address, "datagram too large");
        return;
      }
      const buf = Buffer.from(input.buffer, input.byteOffset, input.length);
      const h = peekHeader(buf);
      if (!h.ok) {
        malformed(device, buf, from.address, h.reason);
        return;
      }
      // Community strings are not a secret we check: the device is known by
      // its address; net-snmp only needs the community to be "known".
      const auth = receiver.getAuthorizer();
      const temp =
        h.community !== undefined && !auth.getCommunity(h.community) ? h.community : undefined;
      if (temp !== undefined) auth.addCommunity(temp);
      pending = { device, buf, version: h.version, rinfo, handled: false };
      try {
        receiver.onMsg(socket ?? inertSocket, buf, rinfo);
      } catch (err) {
        callback(err);
      } finally {
        if (temp !== undefined) auth.deleteCommunity(temp);
        // v3 discovery and reports are answered without a callback; nothing to emit.
        pending = undefined;
      }
    } catch (err) {
      log.error("datagram handling failed", { err });
    }
  }

  // Used when handle() runs before start() (fuzzing): answers go nowhere.
  const inertSocket = { send: (..._args: unknown[]) => {} };

  async function loadUsers(): Promise<snmp.User[]> {
    const users = new Map<string, snmp.User>();
    for (const d of directory.all()) {
      const s = d.snmp;
      if (s?.version !== "v3") continue;
      try {
        const c = await readCredentials(s, ctx.readSecret);
        if (!c.user) continue;
        const level = s.v3?.securityLevel ?? "authPriv";
        const u: snmp.User = {
          name: c.user,
          level: snmp.SecurityLevel[level] as unknown as snmp.SecurityLevel,
        };
        if (level !== "noAuthNoPriv") {
          u.authProtocol = (authProtocol(s.v3?.authProtocol ?? "SHA") ??
            snmp.AuthProtocols.sha) as snmp.AuthProtocols;
          u.authKey = c.authKey ?? "";
        }
        if (level === "authPriv") {
          u.privProtocol = (privProtocol(s.v3?.privProtocol ?? "AES") ??
            snmp.PrivProtocols.aes) as snmp.PrivProtocols;
          u.privKey = c.privKey ?? "";
        }
        if (users.has(c.user))
          log.warn("two devices share a v3 user name; the last one's keys are used", {
            device: d.name,
          });
        users.set(c.user, u);
      } catch (err) {
        log.warn("cannot read v3 credentials", { device: `${d.namespace}/${d.name}`, err });
      }
    }
    return [...users.values()];
  }

  receiver = snmp.createReceiver(
    { port: opts.port, dgramModule: inertDgram, includeAuthentication: true },
    callback,
  );

  return {
    name: "snmp-trap-receiver",
    get port() {
      return boundPort;
    },
    handle,
    async start() {
      for (const u of await loadUsers()) receiver.getAuthorizer().addUser(u);
      const s = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20 });
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.bind(opts.port, opts.host ?? "0.0.0.0", () => {
          s.off("error", reject);
          resolve();
        });
      });
      s.on("error", (err) => log.warn("socket error", { err }));
      s.on("message", (msg, rinfo) => handle(msg, rinfo));
      boundPort = s.address().port;
      socket = s;
      log.info("listening", { port: boundPort });
    },
    async stop() {
      const s = socket;
      socket = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      await Promise.allSettled([...emits]);
    },
  };
}
