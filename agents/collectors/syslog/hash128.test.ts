// MurmurHash3 x86_128 against SMHasher's verification value for it
// (0xB3ECE62A, from SMHasher's main.cpp list of hashes: key i = bytes 0..i-1,
// seed 256 - i, the 256 digests hashed again with seed 0, first 4 bytes LE).
import assert from "node:assert/strict";
import { test } from "node:test";
import { murmur3x86_128 } from "./hash128.ts";

test("murmur3x86_128 matches SMHasher's verification value", () => {
  const key = new Uint8Array(256);
  const hashes = new Uint8Array(256 * 16);
  for (let i = 0; i < 256; i++) {
    key[i] = i;
    murmur3x86_128(key, i, 256 - i, hashes.subarray(i * 16, i * 16 + 16));
  }
  const final = new Uint8Array(16);
  murmur3x86_128(hashes, hashes.length, 0, final);
  const v = Buffer.from(final).readUInt32LE(0);
  assert.equal(v.toString(16), "b3ece62a");
});

test("murmur3x86_128: the empty input with seed 0 is all zeros, one flipped bit changes about half", () => {
  const out = new Uint8Array(16);
  murmur3x86_128(new Uint8Array(0), 0, 0, out);
  assert.deepEqual([...out], new Array(16).fill(0));
  const a = Buffer.from("<13>Jan  1 00:00:00 gw-1 app: tick 1");
  const h = new Uint8Array(16);
  murmur3x86_128(a, a.length, 0, h);
  let flipped = 0;
  for (let bit = 0; bit < a.length * 8; bit++) {
    const b = Buffer.from(a);
    b[bit >> 3] = (b[bit >> 3] as number) ^ (1 << (bit & 7));
    const g = new Uint8Array(16);
    murmur3x86_128(b, b.length, 0, g);
    for (let i = 0; i < 16; i++) {
      let x = (g[i] as number) ^ (h[i] as number);
      while (x) {
        flipped += x & 1;
        x >>= 1;
      }
    }
  }
  const mean = flipped / (a.length * 8);
  assert.ok(mean > 56 && mean < 72, `mean flipped output bits ${mean} of 128`);
});
