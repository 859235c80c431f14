// MurmurHash3 x86_128 (Austin Appleby, public domain) in 32-bit JS integer
// arithmetic: a 128-bit non-cryptographic hash for event ids, a fraction of
// a sha256 call per event. One block function and one finalisation, two
// entry points:
// - murmur3x86_128: the reference function over bytes (syslog message ids);
// - IdHasher: the same block function fed 32-bit words as the caller
//   produces them, never serialised to bytes (flow ids: a listener may hash a
//   million records a second, and sha256 per record was half its CPU). Its
//   last block is zero-padded and its length is the word count, so its
//   digests are its own, not MurmurHash3 of some byte string: stable in any
//   process, which is all an id needs.
// Neither resists a chooser of inputs; the callers say why their ids need not
// (flows: the device identity is in every id; syslog: the listener's receive
// ms and occurrence are).

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;
const TWO32 = 4294967296;
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// One block's mixing, lane by lane: small pure functions V8 inlines, so both
// entry points keep h1..h4 in locals (a state object shared by both made
// the byte path half again as slow).
const k1mix = (k: number) => Math.imul(rotl(Math.imul(k, C1), 15), C2);
const k2mix = (k: number) => Math.imul(rotl(Math.imul(k, C2), 16), C3);
const k3mix = (k: number) => Math.imul(rotl(Math.imul(k, C3), 17), C4);
const k4mix = (k: number) => Math.imul(rotl(Math.imul(k, C4), 18), C1);
const h1mix = (h1: number, h2: number, k1: number) =>
  (Math.imul(rotl(h1 ^ k1mix(k1), 19) + h2, 5) + 0x561ccd1b) | 0;
const h2mix = (h2: number, h3: number, k2: number) =>
  (Math.imul(rotl(h2 ^ k2mix(k2), 17) + h3, 5) + 0x0bcaa747) | 0;
const h3mix = (h3: number, h4: number, k3: number) =>
  (Math.imul(rotl(h3 ^ k3mix(k3), 15) + h4, 5) + 0x96cd1c35) | 0;
/** Takes the block's new h1. */
const h4mix = (h4: number, h1: number, k4: number) =>
  (Math.imul(rotl(h4 ^ k4mix(k4), 13) + h1, 5) + 0x32ac3b17) | 0;

/** The finalisation (the length mixed in, then the avalanche), into out[0..4). */
function finish(
  h1: number,
  h2: number,
  h3: number,
  h4: number,
  len: number,
  out: Int32Array,
): void {
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  out[0] = h1;
  out[1] = (h2 + h1) | 0;
  out[2] = (h3 + h1) | 0;
  out[3] = (h4 + h1) | 0;
}

const leWord = (b: Uint8Array, i: number) =>
  (b[i] as number) |
  ((b[i + 1] as number) << 8) |
  ((b[i + 2] as number) << 16) |
  ((b[i + 3] as number) << 24);

const digest = new Int32Array(4);

/** MurmurHash3_x86_128 of b[0..len) into out[0..16), little-endian h1..h4 as the reference writes them. */
export function murmur3x86_128(b: Uint8Array, len: number, seed: number, out: Uint8Array): void {
  let h1 = seed | 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const blocks = len - (len % 16);
  for (let i = 0; i < blocks; i += 16) {
    h1 = h1mix(h1, h2, leWord(b, i));
    h2 = h2mix(h2, h3, leWord(b, i + 4));
    h3 = h3mix(h3, h4, leWord(b, i + 8));
    h4 = h4mix(h4, h1, leWord(b, i + 12));
  }

  // Tail: up to 15 bytes, little-endian into k1..k4; a lane is mixed only if
  // the tail reaches it (the reference's fall-through switch).
  const rem = len & 15;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  for (let i = 0; i < rem; i++) {
    const v = (b[blocks + i] as number) << ((i & 3) * 8);
    if (i < 4) k1 ^= v;
    else if (i < 8) k2 ^= v;
    else if (i < 12) k3 ^= v;
    else k4 ^= v;
  }
  if (rem > 12) h4 ^= k4mix(k4);
  if (rem > 8) h3 ^= k3mix(k3);
  if (rem > 4) h2 ^= k2mix(k2);
  if (rem > 0) h1 ^= k1mix(k1);

  finish(h1, h2, h3, h4, len, digest);
  for (let i = 0; i < 4; i++) {
    const v = digest[i] as number;
    out[i * 4] = v & 0xff;
    out[i * 4 + 1] = (v >>> 8) & 0xff;
    out[i * 4 + 2] = (v >>> 16) & 0xff;
    out[i * 4 + 3] = (v >>> 24) & 0xff;
  }
}

/** A streaming 128-bit hash of 32-bit words (seed 0); reuse one per listener (not re-entrant). */
export class IdHasher {
  #h1 = 0;
  #h2 = 0;
  #h3 = 0;
  #h4 = 0;
  #k1 = 0;
  #k2 = 0;
  #k3 = 0;
  /** Words in the current block (0..3). */
  #fill = 0;
  #words = 0;

  /** Adds a 32-bit word (the low 32 bits of an integer). */
  word(v: number): this {
    this.#words++;
    switch (this.#fill) {
      case 0:
        this.#k1 = v | 0;
        this.#fill = 1;
        return this;
      case 1:
        this.#k2 = v | 0;
        this.#fill = 2;
        return this;
      case 2:
        this.#k3 = v | 0;
        this.#fill = 3;
        return this;
      default:
        this.#block(this.#k1, this.#k2, this.#k3, v | 0);
        this.#fill = 0;
        return this;
    }
  }

  /** Adds a non-negative integer up to 2^64 (two words, so 2^32 and 1 differ). */
  num(v: number): this {
    return this.word(Math.floor(v / TWO32)).word(v % TWO32);
  }

  /** Adds a string: its length, then two UTF-16 code units per word. */
  str(s: string): this {
    const n = s.length;
    this.word(n);
    let i = 0;
    for (; i + 1 < n; i += 2) this.word((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1));
    if (i < n) this.word(s.charCodeAt(i) << 16);
    return this;
  }

  /** Adds bytes: their length, then big-endian words (the last zero-padded). */
  bytes(b: Uint8Array): this {
    const n = b.length;
    this.word(n);
    let o = 0;
    for (; o + 4 <= n; o += 4) {
      this.word(
        ((b[o] as number) << 24) |
          ((b[o + 1] as number) << 16) |
          ((b[o + 2] as number) << 8) |
          (b[o + 3] as number),
      );
    }
    if (o < n) {
      let w = 0;
      for (let i = 0; i < 4; i++) w = (w << 8) | (o + i < n ? (b[o + i] as number) : 0);
      this.word(w);
    }
    return this;
  }

  #block(k1: number, k2: number, k3: number, k4: number): void {
    const h1 = h1mix(this.#h1, this.#h2, k1);
    const h2 = h2mix(this.#h2, this.#h3, k2);
    const h3 = h3mix(this.#h3, this.#h4, k3);
    this.#h4 = h4mix(this.#h4, h1, k4);
    this.#h1 = h1;
    this.#h2 = h2;
    this.#h3 = h3;
  }

  /** Finishes: the 128-bit digest as 22 base64url characters. Resets the hasher. */
  id(): string {
    const h = this.#finish();
    return base64url(h[0] as number, h[1] as number, h[2] as number, h[3] as number);
  }

  /** Finishes: the digest as four words (to seed other hashes with). Resets the hasher. */
  words(): [number, number, number, number] {
    const h = this.#finish();
    return [h[0] as number, h[1] as number, h[2] as number, h[3] as number];
  }

  /** Adds four words (a `words()` digest). */
  words4(w: readonly [number, number, number, number]): this {
    return this.word(w[0]).word(w[1]).word(w[2]).word(w[3]);
  }

  /** The digest (in a shared scratch array: read it before the next hash), and a reset. */
  #finish(): Int32Array {
    if (this.#fill) {
      this.#block(this.#k1, this.#fill > 1 ? this.#k2 : 0, this.#fill > 2 ? this.#k3 : 0, 0);
    }
    finish(this.#h1, this.#h2, this.#h3, this.#h4, this.#words, digest);
    this.#h1 = this.#h2 = this.#h3 = this.#h4 = 0;
    this.#fill = this.#words = 0;
    return digest;
  }
}

/** 128 bits (four words, big-endian) as 22 base64url characters, no padding. */
function base64url(a: number, b: number, c: number, d: number): string {
  // 6-bit groups across word boundaries: 32 = 5*6 + 2, so carry the low bits on.
  return (
    B64.charAt((a >>> 26) & 63) +
    B64.charAt((a >>> 20) & 63) +
    B64.charAt((a >>> 14) & 63) +
    B64.charAt((a >>> 8) & 63) +
    B64.charAt((a >>> 2) & 63) +
    B64.charAt(((a & 3) << 4) | (b >>> 28)) +
    B64.charAt((b >>> 22) & 63) +
    B64.charAt((b >>> 16) & 63) +
    B64.charAt((b >>> 10) & 63) +
    B64.charAt((b >>> 4) & 63) +
    B64.charAt(((b & 15) << 2) | (c >>> 30)) +
    B64.charAt((c >>> 24) & 63) +
    B64.charAt((c >>> 18) & 63) +
    B64.charAt((c >>> 12) & 63) +
    B64.charAt((c >>> 6) & 63) +
    B64.charAt(c & 63) +
    B64.charAt((d >>> 26) & 63) +
    B64.charAt((d >>> 20) & 63) +
    B64.charAt((d >>> 14) & 63) +
    B64.charAt((d >>> 8) & 63) +
    B64.charAt((d >>> 2) & 63) +
    B64.charAt((d & 3) << 4)
  );
}
