// The generated code in proto/gen/ is what `npm run build` makes from the .proto
// files: editing a .proto without regenerating fails here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";

it("proto/gen is up to date with proto/amoskys/v1/*.proto", () => {
  const here = import.meta.dirname;
  const out = mkdtempSync(join(tmpdir(), "amoskys-gen-"));
  try {
    execFileSync(process.execPath, [join(here, "build.ts"), "--out", out], { stdio: "pipe" });
    for (const f of ["amoskys.js", "amoskys.d.ts"]) {
      const fresh = readFileSync(join(out, f), "utf8");
      const committed = readFileSync(join(here, "gen", f), "utf8");
      assert.ok(fresh === committed, `proto/gen/${f} is stale: run npm run build`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
