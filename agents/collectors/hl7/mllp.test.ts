// The MLLP framer on its own: chunk boundaries, bounds, junk between frames.
// Payload: a real message (microsoft/FHIR-Converter data/SampleData/Hl7v2/
// ORU-R01-RMGEAD.hl7 @70fd328e0501, MIT; see ../shared/testdata/SOURCES.md).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { MllpDecoder, type MllpItem, mllpFrame } from "./mllp.ts";

const MSG = readFileSync(
  join(sharedDir, "testdata/health/hl7v2/fhir-converter/ORU-R01-RMGEAD.hl7"),
);

const messages = (items: MllpItem[]) =>
  items
    .filter((i) => i.kind === "message")
    .map((i) => (i.kind === "message" ? i.payload : Buffer.alloc(0)));

test("a frame split at every byte boundary", () => {
  const framed = mllpFrame(MSG);
  for (const cut of [1, 2, 7, framed.length - 2, framed.length - 1]) {
    const d = new MllpDecoder(1 << 20);
    const items = [...d.push(framed.subarray(0, cut)), ...d.push(framed.subarray(cut))];
    assert.deepEqual(messages(items), [MSG], `cut at ${cut}`);
    assert.equal(items.length, 1);
  }
  // One byte at a time.
  const d = new MllpDecoder(1 << 20);
  const items = [...framed].flatMap((b) => d.push(Buffer.of(b)));
  assert.deepEqual(messages(items), [MSG]);
});

test("two frames in one chunk, whitespace between frames ignored", () => {
  const d = new MllpDecoder(1 << 20);
  const items = d.push(Buffer.concat([mllpFrame(MSG), Buffer.from("\n"), mllpFrame(MSG)]));
  assert.deepEqual(messages(items), [MSG, MSG]);
  assert.equal(items.length, 2);
});

test("an oversize frame is skipped, reported with its head and length, and the next one works", () => {
  const d = new MllpDecoder(100);
  const items = d.push(Buffer.concat([mllpFrame(MSG), mllpFrame(Buffer.from("MSH|^~\\&|short"))]));
  assert.equal(items[0]?.kind, "oversize");
  if (items[0]?.kind === "oversize") {
    assert.equal(items[0].length, MSG.length);
    assert.ok(items[0].head.toString().startsWith("MSH|^~\\&|GHH LAB|ELAB-3"));
  }
  assert.equal(items[1]?.kind, "message");
  assert.equal(d.pending, 0);
});

test("junk outside a frame, an aborted frame, a missing CR after FS", () => {
  const d = new MllpDecoder(1 << 20);
  const items = d.push(
    Buffer.concat([
      Buffer.from("GET / HTTP/1.1\r\n"),
      Buffer.of(0x0b),
      Buffer.from("MSH|partial"),
      mllpFrame(MSG).subarray(0, -1), // no CR after FS
      mllpFrame(MSG),
    ]),
  );
  assert.deepEqual(
    items.map((i) => i.kind),
    ["outside_frame", "aborted", "message", "message"],
  );
  if (items[0]?.kind === "outside_frame") assert.equal(items[0].length, 16);
});

test("a peer that never frames is cut off", () => {
  const d = new MllpDecoder(1024);
  const junk = Buffer.alloc(70 * 1024, 0x41);
  const items = d.push(junk);
  assert.equal(items.at(-1)?.kind, "runaway");
});
