// Lease-based leader election against the real apiserver: electors in one
// process (short durations), and in separate processes with the default
// durations (15 s lease, 10 s renew deadline, 2 s retry), killed with SIGKILL
// or stopped with SIGTERM.
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { KubeConfig, type V1Lease } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { createLogger } from "../../runtime/log.ts";
import { createKubeClient, type KubeClient } from "./client.ts";
import { type LeaderElector, runLeaderElection } from "./leader.ts";
import { metricValue } from "./metrics.ts";

const fixture = fileURLToPath(new URL("./testdata/elector.ts", import.meta.url));
const quiet = createLogger("test", { write: () => {} });

function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

interface ElectorEvent {
  event: string;
  identity: string;
  t: number;
  leader?: string;
  /** performance.now() of the test process when the line arrived. */
  at: number;
}

interface ElectorProcess {
  id: string;
  child: ChildProcessWithoutNullStreams;
  events: ElectorEvent[];
  stderr: string[];
  exited: Promise<number | string>;
  waitFor(
    event: string,
    match?: (e: ElectorEvent) => boolean,
    timeoutMs?: number,
  ): Promise<ElectorEvent>;
}

describe("leader election (real apiserver)", () => {
  let env: EnvWith<{ kube: true }>;
  let admin: KubeClient;
  const children: ElectorProcess[] = [];

  const lease = (name: string) =>
    admin.get<V1Lease>("coordination.k8s.io/v1", "Lease", "default", name);

  const spawnElector = (id: string, leaseName: string): ElectorProcess => {
    const child = spawn(
      process.execPath,
      [
        fixture,
        "--kubeconfig",
        env.kube.kubeconfig,
        "--namespace",
        "default",
        "--name",
        leaseName,
        "--identity",
        id,
      ],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    const events: ElectorEvent[] = [];
    const stderr: string[] = [];
    createInterface(child.stdout).on("line", (line) =>
      events.push({ ...JSON.parse(line), at: performance.now() }),
    );
    createInterface(child.stderr).on("line", (line) => stderr.push(line));
    const exited = new Promise<number | string>((res) =>
      child.once("exit", (code, signal) => res(code ?? signal ?? "unknown")),
    );
    const p: ElectorProcess = {
      id,
      child,
      events,
      stderr,
      exited,
      waitFor: (event, match = () => true, timeoutMs = 30_000) =>
        eventually(() => {
          const e = events.find((x) => x.event === event && match(x));
          assert.ok(e, `${id}: no "${event}" yet; stderr:\n${stderr.slice(-5).join("\n")}`);
          return e;
        }, timeoutMs),
    };
    children.push(p);
    return p;
  };

  before(async () => {
    env = await startEnv({ kube: true });
    admin = createKubeClient(loadKc(env.kube.kubeconfig), { registry: new Registry() });
  });
  after(async () => {
    for (const c of children) c.child.kill("SIGKILL");
    await env?.stop();
  });

  it("refuses inconsistent durations", () => {
    const base = {
      client: admin,
      namespace: "default",
      name: "x",
      identity: "x",
      onStartedLeading: () => {},
    };
    assert.throws(
      () => runLeaderElection({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
      /leaseDurationMs must be > renewDeadlineMs/,
    );
    assert.throws(
      () => runLeaderElection({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }),
      /renewDeadlineMs must be > 1.2 \* retryPeriodMs/,
    );
    assert.throws(() => runLeaderElection({ ...base, identity: "" }), /identity/);
  });

  it("two electors in one process: one leads at a time, a graceful stop hands over at once", async () => {
    const timing = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };
    const registry = new Registry();
    const log: string[] = [];
    let leaders = 0;
    let maxLeaders = 0;
    const make = (identity: string) =>
      runLeaderElection({
        client: admin,
        namespace: "default",
        name: "in-process",
        identity,
        ...timing,
        logger: quiet,
        registry,
        onStartedLeading: (signal) => {
          leaders++;
          maxLeaders = Math.max(maxLeaders, leaders);
          log.push(`start ${identity}`);
          signal.addEventListener("abort", () => log.push(`abort ${identity}`));
        },
        onStoppedLeading: () => {
          leaders--;
          log.push(`stop ${identity}`);
        },
      });
    const a = make("a");
    const b = make("b");
    let leader: LeaderElector | undefined;
    let follower: LeaderElector | undefined;
    try {
      await eventually(() => assert.equal(leaders, 1));
      [leader, follower] = a.isLeader() ? [a, b] : [b, a];
      assert.equal(follower.isLeader(), false);
      const first = await lease("in-process");
      assert.equal(first?.spec?.holderIdentity, leader.identity);
      assert.equal(first?.spec?.leaseDurationSeconds, 3);
      assert.equal(first?.spec?.leaseTransitions, 0);
      assert.match(String(first?.spec?.renewTime), /\.\d{6}Z$/, "a MicroTime");
      assert.equal(
        await metricValue(registry, "amoskys_operator_leader_is_leader", {
          lease: "default/in-process",
        }),
        1,
      );

      // The leader renews; the follower, though polling, does not take the lease
      // over during two lease durations.
      await eventually(async () => {
        const l = await lease("in-process");
        assert.notEqual(String(l?.spec?.renewTime), String(first?.spec?.renewTime));
      });
      const until = performance.now() + 2 * timing.leaseDurationMs;
      while (performance.now() < until) {
        assert.equal(leaders, 1);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(follower.leader(), leader.identity);
      assert.equal(follower.isLeader(), false);

      const t0 = performance.now();
      await leader.stop();
      assert.equal(leader.isLeader(), false);
      await eventually(() => assert.equal(follower?.isLeader(), true), 30_000);
      console.error(`# in-process graceful hand-over: ${Math.round(performance.now() - t0)} ms`);
      assert.equal(maxLeaders, 1, "never two leaders at once");
      const handed = await lease("in-process");
      assert.equal(handed?.spec?.holderIdentity, follower.identity);
      assert.equal(handed?.spec?.leaseTransitions, 1);
      assert.deepEqual(log, [
        `start ${leader.identity}`,
        `abort ${leader.identity}`,
        `stop ${leader.identity}`,
        `start ${follower.identity}`,
      ]);

      await follower.stop();
      const released = await lease("in-process");
      assert.equal(released?.spec?.holderIdentity ?? "", "");
      assert.equal(released?.spec?.leaseDurationSeconds, 1);
      assert.equal(released?.spec?.leaseTransitions, 1);
      assert.equal(leaders, 0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("gives up leadership when it cannot renew within renewDeadline, then campaigns again", async () => {
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "elector-leases", namespace: "default" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "lease-holder" },
      subjects: [{ kind: "User", name: "elector", apiGroup: "rbac.authorization.k8s.io" }],
    };
    await admin.apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "lease-holder", namespace: "default" },
      rules: [
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          verbs: ["get", "create", "update"],
        },
      ],
    });
    await admin.apply(binding);
    const client = createKubeClient(loadKc(await env.kube.mintKubeconfig("elector")), {
      registry: new Registry(),
    });
    const signals: AbortSignal[] = [];
    let stops = 0;
    const e = runLeaderElection({
      client,
      namespace: "default",
      name: "revocable",
      identity: "e1",
      leaseDurationMs: 4_000,
      renewDeadlineMs: 2_000,
      retryPeriodMs: 500,
      logger: quiet,
      onStartedLeading: (signal) => void signals.push(signal),
      onStoppedLeading: () => void stops++,
    });
    try {
      await eventually(() => assert.equal(e.isLeader(), true));
      await admin.delete(
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        "default",
        "elector-leases",
      );
      const t0 = performance.now();
      await eventually(() => assert.equal(stops, 1), 30_000);
      console.error(
        `# leadership given up ${Math.round(performance.now() - t0)} ms after renewals were forbidden (retry 500 ms, renewDeadline 2000 ms)`,
      );
      assert.equal(signals[0]?.aborted, true);
      assert.equal(e.isLeader(), false);
      assert.equal((await lease("revocable"))?.spec?.holderIdentity, "e1", "it could not write");

      await admin.apply(binding);
      // The lease still names e1: it takes it back without waiting for expiry.
      await eventually(() => assert.equal(signals.length, 2), 30_000);
      assert.equal(e.isLeader(), true);
      assert.equal(signals[1]?.aborted, false);
      assert.equal((await lease("revocable"))?.spec?.leaseTransitions, 0, "same holder");
    } finally {
      await e.stop();
    }
    assert.equal(signals[1]?.aborted, true);
    assert.equal((await lease("revocable"))?.spec?.holderIdentity ?? "", "");
  });

  it("steps down at once when the lease shows another holder", async () => {
    let stops = 0;
    const e = runLeaderElection({
      client: admin,
      namespace: "default",
      name: "hijacked",
      identity: "victim",
      leaseDurationMs: 10_000,
      renewDeadlineMs: 8_000,
      retryPeriodMs: 300,
      logger: quiet,
      onStartedLeading: () => {},
      onStoppedLeading: () => void stops++,
    });
    try {
      await eventually(() => assert.equal(e.isLeader(), true));
      const current = await lease("hijacked");
      assert.ok(current?.spec);
      await admin.replace({
        ...current,
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        spec: { ...current.spec, holderIdentity: "intruder" },
      });
      const t0 = performance.now();
      await eventually(() => assert.equal(stops, 1), 30_000);
      const tookMs = performance.now() - t0;
      console.error(`# stepped down ${Math.round(tookMs)} ms after the lease was taken over`);
      assert.equal(e.leader(), "intruder");
      assert.equal(e.isLeader(), false);
    } finally {
      await e.stop();
    }
    // Not the holder: stop() leaves the lease alone.
    assert.equal((await lease("hijacked"))?.spec?.holderIdentity, "intruder");
  });

  it("two processes: SIGKILL of the leader -> the other takes over; SIGTERM -> immediate hand-over", async () => {
    const p1 = spawnElector("p1", "processes");
    await p1.waitFor("started");
    const p2 = spawnElector("p2", "processes");
    await p2.waitFor("leader", (e) => e.leader === "p1");
    // p1 renews (every 2 s) while p2 polls; p2 does not lead.
    const l0 = await lease("processes");
    await eventually(async () => {
      const l = await lease("processes");
      assert.notEqual(String(l?.spec?.renewTime), String(l0?.spec?.renewTime));
    }, 30_000);
    assert.equal(p2.events.filter((e) => e.event === "started").length, 0);

    const killedAt = performance.now();
    p1.child.kill("SIGKILL");
    assert.equal(await p1.exited, "SIGKILL");
    const takeover = await p2.waitFor("started", undefined, 30_000);
    const failoverMs = takeover.at - killedAt;
    console.error(
      `# SIGKILL fail-over: p2 leads ${(failoverMs / 1000).toFixed(1)} s after p1 was killed (lease 15 s, retry 2 s)`,
    );
    assert.ok(failoverMs < 30_000);
    assert.equal(p1.events.filter((e) => e.event === "stopped").length, 0, "p1 died leading");
    const afterKill = await lease("processes");
    assert.equal(afterKill?.spec?.holderIdentity, "p2");
    assert.equal(afterKill?.spec?.leaseTransitions, 1);

    const p3 = spawnElector("p3", "processes");
    await p3.waitFor("leader", (e) => e.leader === "p2");
    const termAt = performance.now();
    p2.child.kill("SIGTERM");
    const handover = await p3.waitFor("started", undefined, 30_000);
    const handoverMs = handover.at - termAt;
    console.error(
      `# SIGTERM hand-over: p3 leads ${(handoverMs / 1000).toFixed(2)} s after p2 was told to stop`,
    );
    assert.equal(await p2.exited, 0);
    const stopped = await p2.waitFor("stopped");
    assert.ok(stopped.t <= handover.t, "p2 stopped leading before p3 started");
    // p3 found the lease free (released), not expired.
    assert.ok(p3.events.some((e) => e.event === "leader" && e.leader === "" && e.t <= handover.t));
    assert.equal((await lease("processes"))?.spec?.leaseTransitions, 2);

    p3.child.kill("SIGTERM");
    assert.equal(await p3.exited, 0);
    const end = await lease("processes");
    assert.equal(end?.spec?.holderIdentity ?? "", "");
  });
});
