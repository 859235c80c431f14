// I/O: one net-snmp session per poll, from an AgentSnmp and its secret files,
// with promise wrappers that time each request and never throw net-snmp's
// errors raw (they become a SnmpFailure the poller can classify).
import snmp from "net-snmp";
import type { AgentSnmp } from "../../../operator/manifests/agent-config.ts";
import { isException, oidUnder } from "./values.ts";

export interface Vb {
  oid: string;
  type: number | undefined;
  value: unknown;
}

export type FailureKind = "timeout" | "auth" | "error" | "noSuchName";

export class SnmpFailure extends Error {
  override readonly name = "SnmpFailure";
  readonly kind: FailureKind;
  /** v1 noSuchName: the OID the agent named. */
  readonly oid: string | undefined;
  constructor(kind: FailureKind, message: string, oid?: string) {
    super(message);
    this.kind = kind;
    this.oid = oid;
  }
}

export interface Credentials {
  community?: string;
  user?: string;
  authKey?: string;
  privKey?: string;
}

export async function readCredentials(
  s: AgentSnmp,
  readSecret: (path: string) => Promise<string>,
): Promise<Credentials> {
  const c = s.credentials;
  const out: Credentials = {};
  if (s.version !== "v3") {
    if (!c.communityFile) throw new Error("credentials.communityFile is not set");
    out.community = await readSecret(c.communityFile);
    return out;
  }
  if (!c.usernameFile) throw new Error("credentials.usernameFile is not set");
  out.user = await readSecret(c.usernameFile);
  const level = s.v3?.securityLevel ?? "authPriv";
  if (level !== "noAuthNoPriv") {
    if (!c.authKeyFile) throw new Error("credentials.authKeyFile is not set");
    out.authKey = await readSecret(c.authKeyFile);
  }
  if (level === "authPriv") {
    if (!c.privKeyFile) throw new Error("credentials.privKeyFile is not set");
    out.privKey = await readSecret(c.privKeyFile);
  }
  return out;
}

const AUTH: Record<string, number> = {
  MD5: snmp.AuthProtocols.md5,
  SHA: snmp.AuthProtocols.sha,
  SHA224: snmp.AuthProtocols.sha224,
  SHA256: snmp.AuthProtocols.sha256,
  SHA384: snmp.AuthProtocols.sha384,
  SHA512: snmp.AuthProtocols.sha512,
};
const PRIV: Record<string, number> = {
  DES: snmp.PrivProtocols.des,
  AES: snmp.PrivProtocols.aes,
  // net-snmp has no AES-192; AES256 is the Blumenthal key extension (aes256b) most agents use.
  AES256: snmp.PrivProtocols.aes256b,
};

export function authProtocol(name: string): number | undefined {
  return AUTH[name.toUpperCase()];
}
export function privProtocol(name: string): number | undefined {
  return PRIV[name.toUpperCase()];
}

export interface SessionOptions {
  host: string;
  snmp: AgentSnmp;
  creds: Credentials;
  retries: number;
}

/** A connected net-snmp session with promise methods; close() it when done. */
export interface Session {
  get(oids: string[]): Promise<Vb[]>;
  getBulk(oids: string[], maxRepetitions: number): Promise<Vb[][]>;
  getNext(oids: string[]): Promise<Vb[]>;
  /** Round trip of the last answered request, in milliseconds. */
  lastLatencyMs: number;
  close(): void;
}

function classify(err: unknown): SnmpFailure {
  const e = err as { name?: string; message?: string; code?: number; status?: number };
  const msg = String(e?.message ?? err);
  if (e?.name === "RequestTimedOutError") return new SnmpFailure("timeout", "request timed out");
  if (e?.name === "RequestFailedError" && e.status === snmp.ErrorStatus.NoSuchName) {
    const oid = /:\s*([0-9.]+)\s*$/.exec(msg)?.[1];
    return new SnmpFailure("noSuchName", msg, oid);
  }
  // USM reports (unknown user, wrong digest, ...), digest mismatch, undecryptable answers.
  if (
    e?.name === "ResponseInvalidError" &&
    (e.code === snmp.ResponseInvalidCode.EAuthFailure ||
      e.code === snmp.ResponseInvalidCode.ECouldNotDecrypt ||
      /usmStats|Unknown user|wrong digest|decrypt/i.test(msg))
  )
    return new SnmpFailure("auth", msg);
  if (/usmStats|Authentication/i.test(msg)) return new SnmpFailure("auth", msg);
  return new SnmpFailure("error", msg);
}

function toVb(v: { oid: string; type?: number; value?: unknown }): Vb {
  return { oid: v.oid, type: v.type, value: v.value };
}

export function openSession(o: SessionOptions): Session {
  const s = o.snmp;
  const timeout = Math.max(1, s.timeoutSeconds) * 1000;
  const common = {
    port: s.port,
    retries: o.retries,
    timeout,
    backoff: 1,
    // Responses must follow requests; an agent that answers backwards must not loop a walk.
    backwardsGetNexts: false,
  };
  let session: snmp.Session;
  if (s.version === "v3") {
    const level = s.v3?.securityLevel ?? "authPriv";
    const user: snmp.User = {
      name: o.creds.user ?? "",
      level: snmp.SecurityLevel[level] as unknown as snmp.SecurityLevel,
    };
    if (level !== "noAuthNoPriv") {
      const ap = authProtocol(s.v3?.authProtocol ?? "SHA");
      if (ap === undefined) throw new Error(`unsupported v3 authProtocol ${s.v3?.authProtocol}`);
      user.authProtocol = ap as snmp.AuthProtocols;
      user.authKey = o.creds.authKey ?? "";
    }
    if (level === "authPriv") {
      const pp = privProtocol(s.v3?.privProtocol ?? "AES");
      if (pp === undefined) throw new Error(`unsupported v3 privProtocol ${s.v3?.privProtocol}`);
      user.privProtocol = pp as snmp.PrivProtocols;
      user.privKey = o.creds.privKey ?? "";
    }
    session = snmp.createV3Session(o.host, user, {
      ...common,
      version: snmp.Version3,
      ...(s.v3?.contextName && { context: s.v3.contextName }),
    });
  } else {
    session = snmp.createSession(o.host, o.creds.community ?? "", {
      ...common,
      version: s.version === "v1" ? snmp.Version1 : snmp.Version2c,
    });
  }
  // net-snmp emits "error" for undecodable answers; unhandled it would crash the process.
  session.on("error", () => {});

  const out: Session = {
    lastLatencyMs: 0,
    get(oids) {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        session.get(oids, (err, vbs) => {
          if (err) return reject(classify(err));
          out.lastLatencyMs = performance.now() - t0;
          resolve((vbs ?? []).map(toVb));
        });
      });
    },
    getNext(oids) {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        session.getNext(oids, (err, vbs) => {
          if (err) return reject(classify(err));
          out.lastLatencyMs = performance.now() - t0;
          resolve((vbs ?? []).map((v) => toVb(v as snmp.Varbind)));
        });
      });
    },
    getBulk(oids, maxRepetitions) {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        session.getBulk(oids, 0, maxRepetitions, (err, vbs) => {
          if (err) return reject(classify(err));
          out.lastLatencyMs = performance.now() - t0;
          resolve(
            (vbs ?? []).map((v) => (Array.isArray(v) ? v.map(toVb) : [toVb(v as snmp.Varbind)])),
          );
        });
      });
    },
    close() {
      try {
        session.close();
      } catch {
        // already closed
      }
    },
  };
  return out;
}

export interface WalkLimits {
  maxRepetitions: number;
  /** Rows per table at most (a hostile or huge agent must not exhaust memory). */
  maxRows: number;
}

/**
 * Walks several columns of one table at once (GETBULK for v2c/v3, GETNEXT for
 * v1), returning for each column the (index suffix, varbind) pairs under it.
 */
export async function walkColumns(
  session: Session,
  version: AgentSnmp["version"],
  columns: string[],
  limits: WalkLimits,
): Promise<Map<string, Vb>[]> {
  const result = columns.map(() => new Map<string, Vb>());
  const cursor = [...columns];
  const done = columns.map(() => false);
  // Each round advances every open column by at least one row, so rounds are bounded.
  for (let round = 0; round <= limits.maxRows; round++) {
    const open = done.flatMap((d, i) => (d ? [] : [i]));
    if (open.length === 0) break;
    const oids = open.map((i) => cursor[i] as string);
    let rows: Vb[][];
    if (version === "v1") {
      try {
        rows = (await session.getNext(oids)).map((v) => [v]);
      } catch (err) {
        // v1 ends a walk at the end of the MIB view with noSuchName for that varbind.
        const failed =
          err instanceof SnmpFailure && err.kind === "noSuchName" ? err.oid : undefined;
        const k = failed === undefined ? -1 : oids.indexOf(failed);
        if (k < 0) throw err;
        done[open[k] as number] = true;
        continue;
      }
    } else {
      const reps = Math.max(1, Math.floor(limits.maxRepetitions / open.length));
      rows = await session.getBulk(oids, reps);
    }
    open.forEach((i, k) => {
      const base = columns[i] as string;
      const got = rows[k] ?? [];
      if (got.length === 0) done[i] = true;
      for (const vb of got) {
        if (isException(vb.type) || !oidUnder(base, vb.oid) || vb.oid === cursor[i]) {
          done[i] = true;
          break;
        }
        const m = result[i] as Map<string, Vb>;
        m.set(vb.oid.slice(base.length + 1), vb);
        cursor[i] = vb.oid;
        if (m.size >= limits.maxRows) {
          done[i] = true;
          break;
        }
      }
    });
  }
  return result;
}
