// The operator at scale on the real apiserver: 2,000 Devices across 20
// CollectorProfiles. Measures the time from the operator's start to steady
// state (every profile rendered, every Device assigned, no writes for 5 s),
// the API requests it issued (its own counter), and its resident memory.
// Baseline in the same run: `kubectl apply --server-side` of the same objects.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { startEnv } from "../env/index.ts";
import { repoRoot } from "../env/toolchain.ts";

const exec = promisify(execFile);
const PROFILES = 20;
const DEVICES = 2_000;
const NS = "bench";

function manifests(): string {
  const docs: unknown[] = [];
  for (let p = 0; p < PROFILES; p++) {
    docs.push({
      apiVersion: "amoskys.io/v1alpha1",
      kind: "CollectorProfile",
      metadata: { name: `group-${p}`, namespace: NS },
      spec: {
        deviceSelector: { matchLabels: { "bench/group": `g${p}` } },
        mode: "deployment",
        replicas: 1,
      },
    });
  }
  for (let d = 0; d < DEVICES; d++) {
    docs.push({
      apiVersion: "amoskys.io/v1alpha1",
      kind: "Device",
      metadata: { name: `plc-${d}`, namespace: NS, labels: { "bench/group": `g${d % PROFILES}` } },
      spec: {
        address: "127.0.0.1",
        type: "ot",
        modbus: {
          port: 5020,
          registers: [{ name: "level", table: "holding", address: d % 100, type: "uint16" }],
        },
      },
    });
  }
  return docs.map((d) => `---\n${stringify(d)}`).join("");
}

function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

export async function main(): Promise<void> {
  const env = await startEnv({ kube: true, verbose: false });
  let op: ChildProcess | undefined;
  const kubectl = async (...args: string[]) =>
    (
      await exec(env.kube.kubectl, ["--kubeconfig", env.kube.kubeconfig, ...args], {
        maxBuffer: 256 << 20,
      })
    ).stdout;
  try {
    await kubectl("apply", "--server-side", "-f", join(repoRoot, "crds"));
    await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
    await kubectl("create", "namespace", NS);
    await kubectl("create", "namespace", "amoskys-system");
    const file = join(env.root, "bench.yaml");
    await writeFile(file, manifests());

    const applyStart = performance.now();
    await kubectl("apply", "--server-side", "-f", file);
    const applyMs = performance.now() - applyStart;

    const start = performance.now();
    op = spawn(
      process.execPath,
      [
        join(repoRoot, "operator/cli.ts"),
        "operator",
        `--kubeconfig=${env.kube.kubeconfig}`,
        "--operator-namespace=amoskys-system",
        "--collector-image=amoskys:bench",
        "--nats-url=tls://127.0.0.1:4222",
        "--metrics-host=127.0.0.1",
        "--metrics-port=0",
        "--identity=bench",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: op?.stderr as NodeJS.ReadableStream }).on("line", (l) => {
        if (l.includes('"msg":"started"')) resolve(JSON.parse(l).metricsPort);
      });
      op?.once("exit", (c) => reject(new Error(`operator exited with ${c}`)));
    });
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // Writes to the cluster's state: not reads, and not the Lease renewals of leader election.
    const writes = (t: string) =>
      [...t.matchAll(/^amoskys_operator_api_requests_total\{([^}]*)\} (\d+)/gm)]
        .filter(
          ([, labels]) => !/verb="(get|list|watch|discovery)"|kind="Lease"/.test(labels ?? ""),
        )
        .reduce((sum, m) => sum + Number(m[2]), 0);

    // Converged: every profile rendered for its 100 Devices, every Device assigned.
    let convergedAt = 0;
    for (;;) {
      const profiles = JSON.parse(
        await kubectl("get", "collectorprofiles", "-n", NS, "-o", "json"),
      ).items;
      const devices = JSON.parse(await kubectl("get", "devices", "-n", NS, "-o", "json")).items;
      const rendered = profiles.filter(
        (p: { status?: { devices?: number; configHash?: string } }) =>
          p.status?.devices === DEVICES / PROFILES && p.status.configHash,
      ).length;
      const assigned = devices.filter(
        (d: { status?: { collector?: string } }) => d.status?.collector,
      ).length;
      if (rendered === PROFILES && assigned === DEVICES) {
        convergedAt = performance.now();
        break;
      }
      if (performance.now() - start > 600_000)
        throw new Error(`no steady state: ${rendered} profiles, ${assigned} devices`);
      await sleep(250);
    }
    // Steady: no writes for 5 s.
    let w = writes(await scrape());
    for (;;) {
      await sleep(5_000);
      const now = writes(await scrape());
      if (now === w) break;
      w = now;
    }
    const text = await scrape();
    const requests = metric(text, "amoskys_operator_api_requests_total");
    const rss = metric(text, "amoskys_operator_process_resident_memory_bytes");
    console.log(
      `operator: ${DEVICES} Devices across ${PROFILES} CollectorProfiles (kube-apiserver ${env.kube.version})`,
    );
    console.log(
      `  kubectl apply --server-side of the objects (baseline): ${(applyMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  operator start to converged:                          ${((convergedAt - start) / 1000).toFixed(1)} s`,
    );
    console.log(
      `  ratio converged / baseline apply:                     ${((convergedAt - start) / applyMs).toFixed(2)}`,
    );
    console.log(
      `  API requests by the operator:                         ${requests} (${(requests / DEVICES).toFixed(2)} per Device; ${w} writes)`,
    );
    console.log(
      `  operator RSS at steady state:                         ${(rss / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    op?.kill("SIGTERM");
    await env.stop();
  }
}
