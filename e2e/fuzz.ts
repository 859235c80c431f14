// npm run fuzz [-- <iterations>]: the long fuzz run. Runs every test file that
// uses agents/fuzz.ts with AMOSKYS_FUZZ_ITERATIONS raised (default 200,000
// per decoder; `npm test` runs the short default of each test).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./env/toolchain.ts";

function* testFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* testFiles(p);
    else if (e.name.endsWith(".test.ts") && /from "[./]*fuzz\.ts"/.test(readFileSync(p, "utf8")))
      yield p;
  }
}

const iterations = process.argv[2] ?? "200000";
const files = [...testFiles(join(repoRoot, "agents"))].map((f) => relative(repoRoot, f)).sort();
console.log(`fuzzing with ${iterations} iterations per decoder:\n  ${files.join("\n  ")}`);
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...files], {
  cwd: repoRoot,
  stdio: "inherit",
  env: { ...process.env, AMOSKYS_FUZZ_ITERATIONS: iterations },
});
process.exit(r.status ?? 1);
