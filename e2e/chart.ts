// The Helm chart rendered as a test would install it: `helm template` of
// helm/amoskys, optionally one template only, written to a file to apply.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { bin, KUBERNETES_VERSION, repoRoot } from "./env/toolchain.ts";

const run = promisify(execFile);

export async function renderChart(o: {
  namespace: string;
  /** e.g. "templates/analytics-rbac.yaml" */
  showOnly?: string;
  set?: Record<string, string>;
  /** Where to write the manifests; returns the path. */
  file: string;
}): Promise<string> {
  const args = [
    "template",
    "amoskys",
    join(repoRoot, "helm/amoskys"),
    "-n",
    o.namespace,
    "--kube-version",
    KUBERNETES_VERSION,
  ];
  if (o.showOnly) args.push("--show-only", o.showOnly);
  for (const [k, v] of Object.entries(o.set ?? {})) args.push("--set", `${k}=${v}`);
  const { stdout } = await run(bin("helm"), args, { maxBuffer: 64 << 20 });
  await writeFile(o.file, stdout);
  return o.file;
}
