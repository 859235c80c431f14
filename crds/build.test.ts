// crds/types.ts is what `node crds/build.ts` makes from the CRD files: editing
// a CRD without regenerating fails here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";

it("crds/types.ts is up to date with crds/amoskys.io_*.yaml", () => {
  const here = import.meta.dirname;
  const out = mkdtempSync(join(tmpdir(), "amoskys-crd-types-"));
  try {
    execFileSync(process.execPath, [join(here, "build.ts"), "--out", out], { stdio: "pipe" });
    const fresh = readFileSync(join(out, "types.ts"), "utf8");
    const committed = readFileSync(join(here, "types.ts"), "utf8");
    assert.ok(fresh === committed, "crds/types.ts is stale: run node crds/build.ts");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
