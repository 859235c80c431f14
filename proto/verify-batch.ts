// The consumer side: decides whether a SignedBatch is authentic and new.
//
// check() is pure with respect to the verifier's state; commit() records an
// accepted batch, and is called only after the caller's durable write, so a
// batch whose write failed is not mistaken for a replay when it comes again.
import { decodeSignedBatch, type SignedBatch } from "./codec.ts";
import { batchHash, SCHEMA_VERSION, signingInput, verifyInput } from "./signing.ts";
import type { TrustStore } from "./trust.ts";

export type RejectReason =
  | "malformed"
  | "oversize"
  | "unsupported_schema"
  | "unknown_key"
  | "revoked_key"
  | "expired_key"
  | "bad_signature"
  | "replay"
  | "chain_break";

/** Integrity problems: every rejection reason, plus gaps in an accepted chain. */
export type IntegrityReason = RejectReason | "sequence_gap";

export interface Accepted {
  ok: true;
  batch: SignedBatch;
  producerId: string;
  sequence: number;
  hash: Uint8Array;
  /** Set when batches before this one have not been seen (yet): an integrity finding, not a loss here. */
  gap?: { expected: number; got: number };
}

export interface Rejected {
  ok: false;
  reason: RejectReason;
  detail: string;
  producerId?: string;
  sequence?: number;
}

export type Verdict = Accepted | Rejected;

export interface VerifierOptions {
  /** Largest payload accepted, compressed, in bytes. */
  maxPayloadBytes?: number;
  /** How many recent sequence numbers per producer are remembered for replay and late arrivals. */
  replayWindow?: number;
}

interface ProducerState {
  highest: number;
  /** seq -> [hash, prevHash] of accepted batches inside the window. */
  seen: Map<number, [Uint8Array, Uint8Array]>;
}

/** Serialisable verifier state, for checkpoints across restarts. */
export type VerifierState = Record<string, { highest: number; seen: [number, string, string][] }>;

export class BatchVerifier {
  private trust: TrustStore;
  private readonly maxPayloadBytes: number;
  private readonly window: number;
  private readonly producers = new Map<string, ProducerState>();

  constructor(trust: TrustStore, opts: VerifierOptions = {}) {
    this.trust = trust;
    this.maxPayloadBytes = opts.maxPayloadBytes ?? 4 << 20;
    this.window = opts.replayWindow ?? 1024;
  }

  /** Swaps the trusted keys (the operator's trust document changed). */
  setTrust(trust: TrustStore): void {
    this.trust = trust;
  }

  check(bytes: Uint8Array): Verdict {
    // Bound the work before decoding: the envelope adds well under 1 KiB.
    if (bytes.length > this.maxPayloadBytes + 1024) {
      return { ok: false, reason: "oversize", detail: `${bytes.length} bytes on the wire` };
    }
    const decoded = decodeSignedBatch(bytes);
    if (!decoded.ok) return { ok: false, reason: "malformed", detail: decoded.reason };
    const b = decoded.value;
    const who = { producerId: b.producerId, sequence: b.sequence };
    const reject = (reason: RejectReason, detail: string): Rejected => ({
      ok: false,
      reason,
      detail,
      ...who,
    });

    if (b.payload.length > this.maxPayloadBytes) {
      return reject("oversize", `payload ${b.payload.length} > ${this.maxPayloadBytes} bytes`);
    }
    if (b.schemaVersion !== SCHEMA_VERSION) {
      return reject(
        "unsupported_schema",
        `schema version ${b.schemaVersion}, supported ${SCHEMA_VERSION}`,
      );
    }
    const key = this.trust.get(b.producerId, b.keyId);
    if (!key) return reject("unknown_key", `no key ${b.keyId} for producer ${b.producerId}`);
    if (key.revoked) return reject("revoked_key", `key ${b.keyId} is revoked`);
    const created = b.createdUnixMs;
    if (
      (key.notBefore !== undefined && created < key.notBefore) ||
      (key.notAfter !== undefined && created > key.notAfter)
    ) {
      return reject(
        "expired_key",
        `batch created ${new Date(created).toISOString()} outside key ${b.keyId}'s validity`,
      );
    }
    let input: Buffer;
    try {
      input = signingInput(b, b.payload);
    } catch (err) {
      return reject("malformed", (err as Error).message);
    }
    if (!verifyInput(input, b.signature, key.publicKey)) {
      return reject("bad_signature", `signature does not verify with key ${b.keyId}`);
    }
    const hash = batchHash(input);

    const st = this.producers.get(b.producerId);
    const seq = b.sequence;
    if (seq < 1) return reject("malformed", "sequence must start at 1");
    if (!st) {
      if (seq === 1 && b.prevHash.length !== 0)
        return reject("chain_break", "first batch has a previous hash");
      const gap = seq > 1 ? { expected: 1, got: seq } : undefined;
      return { ok: true, batch: b, ...who, hash, ...(gap && { gap }) };
    }
    if (seq <= st.highest - this.window || st.seen.has(seq)) {
      return reject("replay", `sequence ${seq} already accepted (highest ${st.highest})`);
    }
    const before = st.seen.get(seq - 1);
    if (before && !equal(before[0], b.prevHash)) {
      return reject("chain_break", `previous hash does not match batch ${seq - 1}`);
    }
    const after = st.seen.get(seq + 1);
    if (after && !equal(after[1], hash)) {
      return reject("chain_break", `batch ${seq + 1} does not link to this batch`);
    }
    const gap = seq > st.highest + 1 ? { expected: st.highest + 1, got: seq } : undefined;
    return { ok: true, batch: b, ...who, hash, ...(gap && { gap }) };
  }

  /** Records an accepted batch; false if it was committed already (a concurrent duplicate). */
  commit(v: Accepted): boolean {
    const st = this.producers.get(v.producerId) ?? { highest: 0, seen: new Map() };
    this.producers.set(v.producerId, st);
    if (st.seen.has(v.sequence)) return false;
    st.seen.set(v.sequence, [v.hash, v.batch.prevHash]);
    if (v.sequence > st.highest) {
      st.highest = v.sequence;
      for (const s of st.seen.keys()) if (s <= st.highest - this.window) st.seen.delete(s);
    }
    return true;
  }

  exportState(): VerifierState {
    const out: VerifierState = {};
    for (const [p, st] of this.producers) {
      out[p] = {
        highest: st.highest,
        seen: [...st.seen].map(([s, [h, prev]]) => [
          s,
          Buffer.from(h).toString("hex"),
          Buffer.from(prev).toString("hex"),
        ]),
      };
    }
    return out;
  }

  importState(state: VerifierState): void {
    this.producers.clear();
    for (const [p, st] of Object.entries(state)) {
      this.producers.set(p, {
        highest: st.highest,
        seen: new Map(
          st.seen.map(([s, h, prev]) => [s, [Buffer.from(h, "hex"), Buffer.from(prev, "hex")]]),
        ),
      });
    }
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
