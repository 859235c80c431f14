// The producer side: turns events into SignedBatches, one sequence number and
// chain link after another.
import type { KeyObject } from "node:crypto";
import { compress, encodeEvents, type TelemetryEvent, v1 } from "./codec.ts";
import {
  type BatchHeader,
  batchHash,
  Compression,
  SCHEMA_VERSION,
  signInput,
  signingInput,
} from "./signing.ts";

/** What a producer must persist to continue its chain after a restart. */
export interface ChainState {
  /** Sequence of the last batch sealed (0 before the first). */
  sequence: number;
  /** Hash of that batch's signing input (empty before the first). */
  prevHash: Uint8Array;
}

export interface SignerOptions {
  producerId: string;
  keyId: string;
  privateKey: KeyObject;
  compression?: Compression;
  state?: ChainState;
  now?: () => number;
}

export interface Sealed {
  /** The encoded SignedBatch, as it goes on the bus. */
  bytes: Uint8Array;
  sequence: number;
  hash: Uint8Array;
}

export class BatchSigner {
  private readonly opts: Required<Omit<SignerOptions, "state">>;
  private chain: ChainState;

  constructor(opts: SignerOptions) {
    this.opts = { compression: Compression.COMPRESSION_NONE, now: Date.now, ...opts };
    this.chain = opts.state ?? { sequence: 0, prevHash: new Uint8Array() };
  }

  get state(): ChainState {
    return this.chain;
  }

  /** Seals events into the next batch of the chain. */
  seal(events: TelemetryEvent[]): Sealed {
    return this.sealPayload(encodeEvents(events));
  }

  /** Seals an already encoded TelemetryBatch. */
  sealPayload(encoded: Uint8Array): Sealed {
    const header: BatchHeader = {
      schemaVersion: SCHEMA_VERSION,
      producerId: this.opts.producerId,
      keyId: this.opts.keyId,
      sequence: this.chain.sequence + 1,
      prevHash: this.chain.prevHash,
      createdUnixMs: this.opts.now(),
      compression: this.opts.compression,
    };
    const payload = compress(encoded, header.compression);
    const input = signingInput(header, payload);
    const bytes = v1.SignedBatch.encode({
      ...header,
      payload,
      signature: signInput(input, this.opts.privateKey),
    }).finish();
    const hash = batchHash(input);
    this.chain = { sequence: header.sequence, prevHash: hash };
    return { bytes, sequence: header.sequence, hash };
  }
}
