// The harness cleans up after itself: no service process and no temp folder
// outlives a test, whether it ends normally, is interrupted (Ctrl-C), or is
// killed outright.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { startEnv } from "./index.ts";
import { liveProcessesInGroup, run } from "./proc.ts";
import { clusterProcesses } from "./services/cluster.ts";
import { repoRoot } from "./toolchain.ts";

const ALL = ["kube", "nats", "postgres", "mqtt", "snmp", "modbus"];
const EXPECTED = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "nats-server",
  "postgres",
  "mosquitto",
  "snmpd",
  "snmpsim",
  "pymodbus",
].sort();

type Described = { pid: number; root: string; processes: { name: string; pid: number }[] };

/**
 * Starts e2e/env/up.ts (the "test process" here) under a subreaper, which reaps
 * whatever the test process leaves; resolves with the printed environment and
 * a promise for the subreaper's exit, i.e. for every descendant being gone.
 */
async function holdEnv<D extends Described = Described>(parts: string[] = ALL) {
  const reaper = spawn(
    "/usr/bin/python3",
    [`${repoRoot}/e2e/env/peers/subreaper.py`, process.execPath, "e2e/env/up.ts", ...parts],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  const allGone = new Promise((resolve) => reaper.once("exit", resolve));
  const lines = createInterface({ input: reaper.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    reaper.once("exit", (code) => reject(new Error(`up.ts exited with ${code} before starting`)));
  });
  return { env: JSON.parse(first) as D, allGone };
}

function assertAllGone(env: Pick<Described, "processes">) {
  for (const p of env.processes) {
    assert.deepEqual(liveProcessesInGroup(p.pid), [], `${p.name} (pgid ${p.pid}) left processes`);
  }
}

describe("test environment teardown", () => {
  it("stop() ends every service process and removes the temp folder", async () => {
    const env = await startEnv({
      kube: true,
      nats: true,
      postgres: true,
      mqtt: true,
      snmp: true,
      modbus: true,
    });
    const started = env.services.map((s) => ({ name: s.name, pid: s.pid }));
    assert.deepEqual(started.map((s) => s.name).sort(), EXPECTED);
    for (const s of started)
      assert.ok(liveProcessesInGroup(s.pid).length > 0, `${s.name} not running`);
    await env.stop();
    assertAllGone({ processes: started });
    assert.equal(existsSync(env.root), false);
    await env.stop(); // idempotent
  });

  it("Ctrl-C (SIGINT) of the test process stops every service and removes the temp folder", async () => {
    const { env, allGone } = await holdEnv();
    assert.deepEqual(env.processes.map((p) => p.name).sort(), EXPECTED);
    process.kill(env.pid, "SIGINT");
    await allGone;
    assertAllGone(env);
    assert.equal(existsSync(env.root), false);
  });

  it("SIGKILL of the test process still takes every service down (parent-death signal)", async () => {
    const { env, allGone } = await holdEnv();
    try {
      process.kill(env.pid, "SIGKILL");
      await allGone; // the parent-death signal took every service down
      assertAllGone(env);
    } finally {
      rmSync(env.root, { recursive: true, force: true }); // nobody was left to remove it
    }
  });
});

/** What a cluster run leaves on the host, by the slot's names; empty when it is all gone. */
function clusterLeftovers(c: { slot: number; dir: string }): string[] {
  const left = clusterProcesses(c.dir).map((p) => `process ${p}`);
  const br = `amoskys${c.slot}`;
  if (spawnSync("ip", ["link", "show", br], { stdio: "ignore" }).status === 0)
    left.push(`bridge ${br}`);
  const guard = `amoskys-${c.slot}-guard`;
  if (spawnSync("nft", ["list", "table", "inet", guard], { stdio: "ignore" }).status === 0)
    left.push(`nft table ${guard}`);
  for (const h of readdirSync("/sys/fs/cgroup")) {
    for (const id of ["a", "b"]) {
      const d = `/sys/fs/cgroup/${h}/amoskys-${c.slot}-${id}`;
      if (existsSync(d)) left.push(`cgroup ${d}`);
    }
  }
  return left;
}

type DescribedCluster = Described & { cluster: { slot: number; dir: string } };

describe("cluster (nodes) teardown", () => {
  it("stop() kills the cluster's pid namespace and removes its bridge, guard, cgroups and folder", async () => {
    const env = await startEnv({ cluster: true });
    const c = env.cluster;
    const ready = await run(c.kubectl, [
      "--kubeconfig",
      c.kubeconfig,
      "get",
      "nodes",
      "-o",
      "jsonpath={.items[*].metadata.labels.kubernetes\\.io/arch}",
    ]);
    assert.equal(ready.stdout.split(" ").sort().join(" "), "amd64 arm64");
    assert.ok(
      clusterLeftovers(c).some((l) => l.startsWith("process")),
      "cluster not running",
    );
    await env.stop();
    assert.deepEqual(clusterLeftovers(c), []);
    assert.equal(existsSync(env.root), false);
  });

  for (const sig of ["SIGINT", "SIGKILL"] as const) {
    it(`${sig} of the test process takes the whole cluster down and a sweeper removes its host state`, async () => {
      const { env, allGone } = await holdEnv<DescribedCluster>(["cluster"]);
      try {
        assert.ok(clusterLeftovers(env.cluster).length > 0, "cluster not running");
        process.kill(env.pid, sig);
        await allGone; // the subreaper waits for every descendant, the sweeper included
        assert.deepEqual(clusterLeftovers(env.cluster), []);
      } finally {
        rmSync(env.root, { recursive: true, force: true });
      }
    });
  }
});
