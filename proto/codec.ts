// Encoding of TelemetryBatch payloads and SignedBatch envelopes. Decoding is
// for hostile bytes: sizes are bounded before work is done, and failures come
// back as values with a reason, never as exceptions.
import { constants, gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { type amoskys, v1 } from "./schema.ts";
import { Compression } from "./signing.ts";

export { v1 };
export type TelemetryEvent = amoskys.v1.ITelemetryEvent;
export type SignedBatch = amoskys.v1.SignedBatch;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function encodeEvents(events: TelemetryEvent[]): Uint8Array {
  return v1.TelemetryBatch.encode({ events }).finish();
}

export function compress(bytes: Uint8Array, c: Compression): Uint8Array {
  switch (c) {
    case Compression.COMPRESSION_NONE:
      return bytes;
    case Compression.COMPRESSION_GZIP:
      return gzipSync(bytes, { level: 1 });
    case Compression.COMPRESSION_ZSTD:
      return zstdCompressSync(bytes, { params: { [constants.ZSTD_c_compressionLevel]: 1 } });
    default:
      throw new RangeError(`unknown compression ${c}`);
  }
}

/** Decompresses at most `maxBytes` of output, so a small bomb cannot blow up memory. */
export function decompress(
  bytes: Uint8Array,
  c: Compression,
  maxBytes: number,
): Decoded<Uint8Array> {
  try {
    switch (c) {
      case Compression.COMPRESSION_NONE:
        return bytes.length <= maxBytes
          ? { ok: true, value: bytes }
          : { ok: false, reason: "payload too large" };
      case Compression.COMPRESSION_GZIP:
        return { ok: true, value: gunzipSync(bytes, { maxOutputLength: maxBytes }) };
      case Compression.COMPRESSION_ZSTD:
        return { ok: true, value: zstdDecompressSync(bytes, { maxOutputLength: maxBytes }) };
      default:
        return { ok: false, reason: `unknown compression ${c}` };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    return {
      ok: false,
      reason:
        code === "ERR_BUFFER_TOO_LARGE"
          ? "payload too large once decompressed"
          : `decompression failed: ${code ?? err}`,
    };
  }
}

export function decodeSignedBatch(bytes: Uint8Array): Decoded<SignedBatch> {
  try {
    return { ok: true, value: v1.SignedBatch.decode(bytes) };
  } catch (err) {
    return { ok: false, reason: `not a SignedBatch: ${(err as Error).message}` };
  }
}

/** Decompresses and decodes a verified batch's payload into its events. */
export function decodeEvents(batch: SignedBatch, maxBytes: number): Decoded<TelemetryEvent[]> {
  const raw = decompress(batch.payload, batch.compression, maxBytes);
  if (!raw.ok) return raw;
  try {
    return { ok: true, value: v1.TelemetryBatch.decode(raw.value).events };
  } catch (err) {
    return { ok: false, reason: `not a TelemetryBatch: ${(err as Error).message}` };
  }
}
