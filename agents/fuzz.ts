// A small mutation fuzzer for decoders: starts from real inputs (the corpus,
// from ../shared/testdata) and flips, truncates, splices and repeats bytes.
// Deterministic per seed, so a failure names the seed and iteration that
// reproduce it. `npm test` runs a short pass; `npm run fuzz` a long one
// (AMOSKYS_FUZZ_ITERATIONS).

/** xorshift32: fast, seedable, good enough for mutations. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x30, 0x0a, 0x0d, 0x1c, 0x0b];

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

export function mutate(
  input: Uint8Array,
  corpus: readonly Uint8Array[],
  r: () => number,
): Uint8Array {
  let b = Buffer.from(input);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (b.length + 1));
    switch (Math.floor(r() * 7)) {
      case 0: // flip a bit
        if (b.length) b[at % b.length] = (b[at % b.length] as number) ^ (1 << Math.floor(r() * 8));
        break;
      case 1: // an interesting byte
        if (b.length) b[at % b.length] = pick(INTERESTING, r);
        break;
      case 2: // truncate
        b = b.subarray(0, at);
        break;
      case 3: // splice with another corpus entry
        if (corpus.length) {
          const other = pick(corpus, r);
          b = Buffer.concat([
            b.subarray(0, at),
            Buffer.from(other).subarray(Math.floor(r() * (other.length + 1))),
          ]);
        }
        break;
      case 4: // repeat a slice (length fields that lie)
        b = Buffer.concat([
          b.subarray(0, at),
          b.subarray(Math.floor(r() * (at + 1)), at),
          b.subarray(at),
        ]);
        break;
      case 5: // random bytes
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256))),
          b.subarray(at),
        ]);
        break;
      default: // 16-bit extremes (lengths, counts)
        if (b.length > 1) b.writeUInt16BE(r() < 0.5 ? 0xffff : 0, Math.min(at, b.length - 2));
    }
  }
  return b;
}

export function iterations(short: number): number {
  const n = Number(process.env.AMOSKYS_FUZZ_ITERATIONS);
  return Number.isFinite(n) && n > 0 ? n : short;
}

/**
 * Runs `decode` on mutations of the corpus. `decode` must return normally for
 * every input (a value saying it was malformed is fine); any exception fails
 * with the seed, iteration and input in hex.
 */
export async function fuzz(
  corpus: readonly Uint8Array[],
  decode: (input: Uint8Array) => unknown,
  opts: { iterations?: number; seed?: number } = {},
): Promise<{ runs: number }> {
  if (corpus.length === 0) throw new Error("fuzz: empty corpus");
  const seed = opts.seed ?? 1;
  const runs = iterations(opts.iterations ?? 2000);
  const r = rng(seed);
  for (let i = 0; i < runs; i++) {
    const input = mutate(corpus[i % corpus.length] as Uint8Array, corpus, r);
    try {
      await decode(input);
    } catch (err) {
      throw new Error(
        `fuzz: decoder threw at seed ${seed} iteration ${i} on ${Buffer.from(input).toString("hex").slice(0, 512)}: ${(err as Error)?.stack ?? err}`,
      );
    }
  }
  return { runs };
}
