// Mutation fuzzing of the decoder. Corpus: every logstash-codec-netflow .dat
// file (../shared/testdata/netflow/logstash-codec-netflow, Apache-2.0, see
// SOURCES.md), decoded with an empty template cache (templates are learned
// from the mutated input itself) and with a cache pre-filled from the real
// template packets, so that mutated data sets meet real templates.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fuzz } from "../../fuzz.ts";
import { decodeNetflow } from "./decode.ts";
import { NETFLOW_DATA } from "./peers.ts";
import { TemplateCache } from "./templates.ts";

const files = readdirSync(NETFLOW_DATA).filter((f) => f.endsWith(".dat"));
const corpus = files.map((f) => new Uint8Array(readFileSync(NETFLOW_DATA + f)));
const EXPORTER = "192.0.2.20";

function check(r: ReturnType<typeof decodeNetflow>): void {
  // Whatever came in, what comes out is well-typed and bounded.
  for (const f of r.flows) {
    if (!(f.srcPort >= 0 && f.srcPort <= 0xffff && f.dstPort >= 0 && f.dstPort <= 0xffff)) {
      throw new Error(`port out of range: ${f.srcPort} ${f.dstPort}`);
    }
    if (!(f.protocol >= 0 && f.protocol <= 255)) throw new Error(`protocol ${f.protocol}`);
    if (!Number.isFinite(f.bytes) || !Number.isFinite(f.packets)) throw new Error("count");
  }
  // The decoder's last line of defence must never be what caught it.
  for (const e of r.errors) if (e.reason === "decoder_error") throw new Error(e.detail);
}

test("corpus is the answer-key files", () => {
  assert.ok(corpus.length >= 16, `${corpus.length} .dat files`);
});

test("fuzz: empty template cache", async () => {
  // A small cache, so eviction runs too.
  const cache = new TemplateCache({ maxTemplates: 32, maxPending: 8 });
  const { runs } = await fuzz(corpus, (input) => check(decodeNetflow(input, EXPORTER, cache, 0)), {
    seed: 11,
    iterations: 20_000,
  });
  assert.ok(runs > 0);
  assert.ok(cache.size <= 32);
  assert.ok(cache.pendingCount <= 8);
});

test("fuzz: cache pre-filled with the real templates", async () => {
  const cache = new TemplateCache();
  for (const f of files.filter((f) => /tpl|valid01|ipfix\.dat/.test(f))) {
    decodeNetflow(readFileSync(NETFLOW_DATA + f), EXPORTER, cache, 0);
  }
  const learned = cache.size;
  assert.ok(learned >= 20, `${learned} templates`);
  // Mutations keep the template packets' templates; data sets decode against them.
  await fuzz(
    corpus,
    (input) => {
      check(decodeNetflow(input, EXPORTER, cache, 0));
    },
    { seed: 12, iterations: 20_000 },
  );
});
