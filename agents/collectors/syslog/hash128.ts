// MurmurHash3 x86_128 (Austin Appleby, public domain), in 32-bit JS integer
// arithmetic: a 128-bit non-cryptographic hash for syslog event ids. It costs
// a fraction of a sha256 call per message, and the ids do not need collision
// resistance against a chooser of inputs: what they hash holds the listener's
// (receive ms, occurrence) pair, which no two receptions share (see decode.ts).
// Checked against SMHasher's verification value in hash128.test.ts.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const word = (b: Uint8Array, i: number) =>
  (b[i] as number) |
  ((b[i + 1] as number) << 8) |
  ((b[i + 2] as number) << 16) |
  ((b[i + 3] as number) << 24);

/** MurmurHash3_x86_128 of b[0..len) into out[0..16), little-endian h1..h4 as the reference writes them. */
export function murmur3x86_128(b: Uint8Array, len: number, seed: number, out: Uint8Array): void {
  let h1 = seed >>> 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const blocks = len - (len % 16);
  for (let i = 0; i < blocks; i += 16) {
    let k1 = word(b, i);
    let k2 = word(b, i + 4);
    let k3 = word(b, i + 8);
    let k4 = word(b, i + 12);

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
  if (rem > 12) h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  if (rem > 8) h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  if (rem > 4) h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  if (rem > 0) h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);

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
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  const hs = [h1, h2, h3, h4];
  for (let i = 0; i < 4; i++) {
    const h = hs[i] as number;
    out[i * 4] = h & 0xff;
    out[i * 4 + 1] = (h >>> 8) & 0xff;
    out[i * 4 + 2] = (h >>> 16) & 0xff;
    out[i * 4 + 3] = (h >>> 24) & 0xff;
  }
}
