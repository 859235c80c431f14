// The import graph of the image's TypeScript: every module a shipped file
// imports must be shipped too (or be a production dependency, or built in).

import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";

export interface ImportProblem {
  file: string;
  specifier: string;
  reason: string;
}

const builtins = new Set(builtinModules);

/** A bare specifier's package name: "@scope/name/sub" -> "@scope/name". */
function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? spec);
}

/** Static imports, re-exports and import("literal") of one file. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Checks every TypeScript file of `shipped` (paths relative to `root`):
 * relative imports must resolve to a shipped file, bare ones to a production
 * dependency. Returns what does not.
 */
export function checkImports(
  root: string,
  shipped: string[],
  dependencies: string[],
): ImportProblem[] {
  const inImage = new Set(shipped);
  const deps = new Set(dependencies);
  const problems: ImportProblem[] = [];
  // Declaration files are types only: nothing of them runs.
  for (const file of shipped.filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts"))) {
    for (const spec of importsOf(readFileSync(join(root, file), "utf8"))) {
      if (spec.startsWith("node:") || builtins.has(spec)) continue;
      if (spec.startsWith(".")) {
        const target = normalize(relative(root, join(root, dirname(file), spec)));
        if (inImage.has(target)) continue;
        const reason = existsSync(join(root, target))
          ? `${target} is not in the image (Dockerfile COPY list, .dockerignore)`
          : `${target} does not exist`;
        problems.push({ file, specifier: spec, reason });
      } else if (!deps.has(packageOf(spec))) {
        problems.push({
          file,
          specifier: spec,
          reason: `${packageOf(spec)} is not a production dependency (npm ci --omit=dev)`,
        });
      }
    }
  }
  return problems;
}
