// agents/hash128.ts against published MurmurHash3_x86_128 values, and its
// two entry points against what the collectors' ids were before they shared it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IdHasher, murmur3x86_128 } from "./hash128.ts";

/** The digest as h1..h4 in hex, the way the reference implementations below print it. */
function words(b: Uint8Array, seed = 0): string {
  const out = Buffer.alloc(16);
  murmur3x86_128(b, b.length, seed, out);
  return [0, 4, 8, 12].map((i) => out.readUInt32LE(i).toString(16).padStart(8, "0")).join("");
}
const utf8 = (s: string) => Buffer.from(s, "utf8");

test("murmur3x86_128 matches SMHasher's verification value", () => {
  // 0xB3ECE62A, from SMHasher's main.cpp list of hashes: key i = bytes 0..i-1,
  // seed 256 - i, the 256 digests hashed again with seed 0, first 4 bytes LE.
  const key = new Uint8Array(256);
  const hashes = new Uint8Array(256 * 16);
  for (let i = 0; i < 256; i++) {
    key[i] = i;
    murmur3x86_128(key, i, 256 - i, hashes.subarray(i * 16, i * 16 + 16));
  }
  const final = new Uint8Array(16);
  murmur3x86_128(hashes, hashes.length, 0, final);
  assert.equal(Buffer.from(final).readUInt32LE(0).toString(16), "b3ece62a");
});

test("murmur3x86_128 matches murmurHash3.js's x86.hash128 test vectors (seed 0)", () => {
  // github.com/karanlyons/murmurHash3.js src/__tests__/index.test.ts (UTF-8
  // input; the 31-byte key covers a 15-byte tail).
  const ascending = Uint8Array.from({ length: 64 }, (_, i) => i);
  assert.equal(words(new Uint8Array(0)), "00000000000000000000000000000000");
  assert.equal(words(ascending), "cc32c3983052e6520858cfaa82d82209");
  assert.equal(words(ascending.subarray(0, 31)), "24ab92eeac1d89ca45f5bc189ad5dda3");
  const vectors: [string, string][] = [
    ["I will not buy this record, it is scratched.", "a0a9683b25ac5e40d9af2895890dddf5"],
    ["I will not buy this tobacconist's, it is scratched.", "9b5b7ba2ef3f7866889adeaf00f3f98e"],
    ["My hovercraft is full of eels.", "e3a186aee169ba6c6a8bd9343c68fa9c"],
    ["我的气垫船装满了鳗鱼。", "4a3b1d7c5f2763c2d6d5551f5f1e922f"],
    ["My 🚀 is full of 🦎.", "e616d85ffee7f678dab461995b5bb90f"],
  ];
  for (const [s, want] of vectors) assert.equal(words(utf8(s)), want, s);
});

test("murmur3x86_128 matches seeded test vectors (Ian Boyd's and mmh3's, via appmattus/crypto)", () => {
  // github.com/appmattus/crypto, MurmurHash3_x86_128Test.kt; the vectors are
  // Ian Boyd's (stackoverflow.com/a/31929528) and mmh3's.
  assert.equal(words(new Uint8Array(0), 1), "88c4adec54d201b954d201b954d201b9");
  assert.equal(words(new Uint8Array(0), 0xffffffff), "051e08a9989d49f7989d49f7989d49f7");
  const seeded: [string, string][] = [
    ["aaaa", "36804cef2a61c2242a61c2242a61c224"],
    ["aaa", "838389be9aad7f889aad7f889aad7f88"],
    ["a", "084ef94421a1186e21a1186e21a1186e"],
    ["Hello, world!", "756d5460bb872216b7d48b7c53c8c636"],
    ["ππππππππ", "af2ad3253a74df8838cc7534f197cc0d"],
    ["a".repeat(256), "d3f2b7bbf666c0ccd4a400605ec8d32a"],
    ["The quick brown fox jumps over the lazy dog", "8ad4d55e4cb861718ea73a9ccdb6793e"],
  ];
  for (const [s, want] of seeded) assert.equal(words(utf8(s), 0x9747b28c), want, s);
  assert.equal(words(utf8("abc")), "75cdc6d1a2b006a5a2b006a5a2b006a5");
});

test("murmur3x86_128: one flipped input bit changes about half the output bits", () => {
  const a = utf8("<13>Jan  1 00:00:00 gw-1 app: tick 1");
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

// IdHasher's digests are its own construction (whole zero-padded blocks, the
// word count as the length), so no published vector exists for them. These
// were printed by the two implementations this module replaced
// (collectors/flows/flowid.ts, collectors/syslog/hash128.ts) on the same
// calls: a regression check that merging them changed no flow or syslog id,
// not an independent reference (the vectors above are that).
test("IdHasher gives the flow ids it gave before the merge", () => {
  const h = new IdHasher();
  // events.ts's pattern: a per-exporter prefix digest, then the set's fields.
  const prefix = h.str("plant").str("switch-1").word(7).str("flow").str("10.0.0.1").words();
  assert.deepEqual(
    prefix.map((x) => (x >>> 0).toString(16)),
    ["f7f1987f", "b2a00eed", "189d45c5", "19b350c4"],
  );
  const ids = [0, 1, 2, 3, 4, 5].map((body) =>
    h
      .words4(prefix)
      .num(0)
      .word(9)
      .num(123456789)
      .word(256)
      .num(0)
      .num(1_700_000_000_000)
      .num(2 ** 32 + 5)
      .bytes(Uint8Array.from({ length: body * 3 + 1 }, (_, i) => (i * 37 + body) & 255))
      .id(),
  );
  assert.deepEqual(ids, [
    "cG0JGcy5n6uuFklbqlmxvg",
    "V3-gWGuare089YdrhnJnfw",
    "77BCNNE5cOoPTQFkbAD-rg",
    "n9zS3VhTg7_HaXYUtW1cGw",
    "IrN4EDdwbtSFXmTsZlh_Ow",
    "wgrMgpyqgPl6Z_CREaJmrQ",
  ]);
  // 0..9 words: every tail length and whole blocks.
  const byCount: string[] = [];
  for (let n = 0; n <= 9; n++) {
    for (let i = 0; i < n; i++) h.word(i * 0x9e3779b9);
    byCount.push(h.id());
  }
  assert.deepEqual(byCount, [
    "AAAAAAAAAAAAAAAAAAAAAA",
    "DWEuTUngzoY37uymw-m1fg",
    "c3M1CyqO8IK9sx6PTMhPMg",
    "Csty_8tXDUyghFEngc41Tw",
    "E33uX3njIFAL7jrnQeplZg",
    "m7cpfxyJ1kiosK_Ws-Tq-A",
    "E3VrVym6rQ9wP2T22qGNrw",
    "CSPf-Hf4aoAx7mWftpdhLQ",
    "nU86UFUfmknHWBF-Bk2trg",
    "JaItsTO32tMmVzrOEWLf_w",
  ]);
  assert.deepEqual(
    [h.str("héllo wörld").id(), h.str("").id(), h.str("x").id()],
    ["ekGxtfvQDvGPjpug2Pjcgg", "DWEuTUngzoY37uymw-m1fg", "XwtJg8KcDidB3MVsLqFMQA"],
  );
});

test("murmur3x86_128 on syslog's id input, interleaved with IdHasher use, as before the merge", () => {
  // decode.ts's pattern: prefix + raw bytes in a reused buffer, a 16-byte
  // digest as base64url. An IdHasher finishing in between must not disturb it
  // (they share a scratch digest array).
  const raw = utf8("<13>Jan  1 00:00:00 gw-1 app: tick 1");
  const input = Buffer.concat([utf8("plant\0gw-1\x005\x00127.0.0.1\x001700000000000\x000\0"), raw]);
  const out = Buffer.alloc(16);
  const h = new IdHasher().word(1);
  murmur3x86_128(input, input.length, 0, out);
  const flowId = h.id();
  assert.equal(out.toString("hex"), "5f3f8edff55d7ef11576a7e0248182e7");
  assert.equal(flowId, "N7tpYLo-uq45hM0Qwp7nbQ");
});
