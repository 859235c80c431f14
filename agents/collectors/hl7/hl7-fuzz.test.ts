// Fuzzes the HL7 parser (with observation mapping and the ACK builder) and
// the MLLP framer. Corpus: the real HL7 v2 files from microsoft/FHIR-Converter
// data/SampleData/Hl7v2 @70fd328e0501 (MIT; ../shared/testdata/SOURCES.md).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { fuzz } from "../../fuzz.ts";
import { buildAck } from "./hl7-ack.ts";
import { interpret } from "./hl7-observations.ts";
import { parseHl7 } from "./hl7-parse.ts";
import { MllpDecoder, mllpFrame } from "./mllp.ts";

const DIR = join(sharedDir, "testdata/health/hl7v2/fhir-converter");
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith(".hl7"))
  .map((f) => readFileSync(join(DIR, f)));

test("corpus is the real files", () => assert.equal(corpus.length, 5));

test("fuzz: HL7 parser, observations and ACK never throw", async () => {
  const decoder = new TextDecoder();
  const { runs } = await fuzz(corpus, (input) => {
    const p = parseHl7(decoder.decode(input));
    const ack = buildAck({
      code: p.ok ? "AA" : "AE",
      ...(p.header && { header: p.header }),
      nowMs: 0,
    });
    if (!ack.startsWith("MSH")) throw new Error("ACK without MSH");
    return p.ok ? interpret(p.message) : p.reason;
  });
  assert.ok(runs > 0);
});

test("fuzz: MLLP framer never throws and holds at most the bound", async () => {
  const framed = corpus.map((c) => mllpFrame(c));
  await fuzz(framed, (input) => {
    const d = new MllpDecoder(4096);
    // Feed in uneven chunks, as TCP does.
    for (let i = 0; i < input.length; i += 97) {
      for (const item of d.push(input.subarray(i, i + 97))) {
        if (item.kind === "message" && item.payload.length > 4096)
          throw new Error("over the bound");
      }
    }
    d.end();
  });
});
