// Fuzzes the FHIR page parser and resource mapper. Corpus: the real FHIR JSON
// files of ../shared/testdata/health/fhir (microsoft/fhir-server @14f52857e323
// and microsoft/FHIR-Converter @70fd328e0501, MIT; see SOURCES.md), as they
// are and wrapped in a searchset Bundle the way a server returns them.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { fuzz } from "../../fuzz.ts";
import { mapResource, parseJson, parseSearchPage, SUPPORTED } from "./fhir-map.ts";

const DIR = join(sharedDir, "testdata/health/fhir");
const files = readdirSync(DIR).flatMap((d) =>
  readdirSync(join(DIR, d))
    .filter((f) => f.endsWith(".json"))
    .map((f) => readFileSync(join(DIR, d, f))),
);
const wrapped = files.map((b) =>
  Buffer.from(
    JSON.stringify({
      resourceType: "Bundle",
      type: "searchset",
      link: [{ relation: "next", url: "https://127.0.0.1/fhir/Observation?_offset=2" }],
      entry: [
        {
          resource: JSON.parse(b.toString("utf8").replace(/^\uFEFF/, "")),
          search: { mode: "match" },
        },
      ],
    }),
  ),
);

test("corpus is the real files", () => assert.equal(files.length, 8));

test("fuzz: FHIR page parser and resource mapper never throw", async () => {
  await fuzz([...files, ...wrapped], (input) => {
    for (const type of SUPPORTED) {
      const page = parseSearchPage(input, type);
      if (page.ok) for (const r of page.resources) mapResource(r);
    }
    const j = parseJson(input);
    return j.ok ? mapResource(j.value) : j.malformed.reason;
  });
});

/** Every (path, replacement) of a JSON value: type confusion that byte mutations rarely reach. */
function* confusions(v: unknown, set: (x: unknown) => void): Generator<void> {
  for (const x of [null, 0, -1e308, "", "x", [], {}, true, [null], [{}]]) {
    set(x);
    yield;
  }
  set(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      yield* confusions(v[i], (x) => {
        v[i] = x;
      });
    }
  } else if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      yield* confusions(o[k], (x) => {
        o[k] = x;
      });
    }
  }
}

test("type confusion at every field of every real resource: the mapper never throws", () => {
  let runs = 0;
  for (const b of files) {
    const root = { r: JSON.parse(b.toString("utf8").replace(/^\uFEFF/, "")) };
    for (const _ of confusions(root.r, (x) => {
      root.r = x;
    })) {
      mapResource(root.r);
      runs++;
    }
  }
  assert.ok(runs > 1000);
});
