// Stable flow event ids without a cryptographic hash per record: a listener
// may see a million records a second, and sha256 per record (agents/events.ts
// eventId) was half of its CPU. This is the MurmurHash3 x86_128 block function
// fed 32-bit words (zero-padded to whole blocks, the word count mixed in at
// the end): 128 bits, the same words give the same id in any process, and
// accidental collisions are as unlikely as with a 128-bit sha256 prefix. It is
// not collision resistant against a crafted input, which is why the device
// identity is part of every id (an exporter can only collide with its own
// device's events).

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

/** A streaming 128-bit hash of 32-bit words; reuse one per listener (not re-entrant). */
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
    let h1 = this.#h1;
    let h2 = this.#h2;
    let h3 = this.#h3;
    let h4 = this.#h4;
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
    this.#h1 = h1;
    this.#h2 = h2;
    this.#h3 = h3;
    this.#h4 = h4;
  }

  /** Finishes: the 128-bit digest as 22 base64url characters. Resets the hasher. */
  id(): string {
    this.#finish();
    const id = base64url(this.#h1, this.#h2, this.#h3, this.#h4);
    this.#h1 = this.#h2 = this.#h3 = this.#h4 = 0;
    return id;
  }

  /** Finishes: the digest as four words (to seed other hashes with). Resets the hasher. */
  words(): [number, number, number, number] {
    this.#finish();
    const w: [number, number, number, number] = [this.#h1, this.#h2, this.#h3, this.#h4];
    this.#h1 = this.#h2 = this.#h3 = this.#h4 = 0;
    return w;
  }

  /** Adds four words (a `words()` digest). */
  words4(w: readonly [number, number, number, number]): this {
    return this.word(w[0]).word(w[1]).word(w[2]).word(w[3]);
  }

  #finish(): void {
    const n = this.#words;
    if (this.#fill) {
      this.#block(this.#k1, this.#fill > 1 ? this.#k2 : 0, this.#fill > 2 ? this.#k3 : 0, 0);
    }
    let h1 = this.#h1 ^ n;
    let h2 = this.#h2 ^ n;
    let h3 = this.#h3 ^ n;
    let h4 = this.#h4 ^ n;
    h1 = (h1 + h2 + h3 + h4) | 0;
    h2 = (h2 + h1) | 0;
    h3 = (h3 + h1) | 0;
    h4 = (h4 + h1) | 0;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h3 = fmix(h3);
    h4 = fmix(h4);
    h1 = (h1 + h2 + h3 + h4) | 0;
    h2 = (h2 + h1) | 0;
    h3 = (h3 + h1) | 0;
    h4 = (h4 + h1) | 0;
    this.#h1 = h1;
    this.#h2 = h2;
    this.#h3 = h3;
    this.#h4 = h4;
    this.#fill = this.#words = 0;
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
