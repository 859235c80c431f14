// What the pieces do when the kube-apiserver process goes away (SIGTERM, then
// SIGKILL after 5 s): new requests are refused at once and fail with a
// network KubeApiError; the leader, unable to renew, gives up after
// retryPeriod + renewDeadline; once the established watch ends (here it
// outlived the SIGTERM), the informer turns unhealthy and keeps serving its
// cache. When the apiserver comes back on the same address, the informer is
// healthy again and has caught up, and the elector leads again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { eventually } from "../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../e2e/env/index.ts";
import { createLogger } from "../../runtime/log.ts";
import { createKubeClient, KubeApiError, type KubeClient } from "./client.ts";
import { startInformer } from "./informer.ts";
import { runLeaderElection } from "./leader.ts";

const quiet = createLogger("test", { write: () => {} });

describe("apiserver outage (real apiserver, stopped, then restarted)", () => {
  let env: EnvWith<{ kube: true }>;
  let client: KubeClient;

  before(async () => {
    env = await startEnv({ kube: true });
    const kc = new KubeConfig();
    kc.loadFromFile(env.kube.kubeconfig);
    client = createKubeClient(kc, { registry: new Registry() });
  });
  after(() => env?.stop());

  it("informer turns unhealthy and keeps its cache; the leader steps down; calls fail typed; all recover after a restart", async () => {
    await client.apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kept", namespace: "default" },
      data: { v: "1" },
    });
    const informer = startInformer(client, {
      ...(await client.listWatchSource<V1ConfigMap>("v1", "ConfigMap", { namespace: "default" })),
      logger: quiet,
      initialBackoffMs: 200,
      maxBackoffMs: 1000,
    });
    let stoppedLeading = 0;
    let leadSignal: AbortSignal | undefined;
    const elector = runLeaderElection({
      client,
      namespace: "default",
      name: "outage",
      identity: "only",
      leaseDurationMs: 6_000,
      renewDeadlineMs: 4_000,
      retryPeriodMs: 1_000,
      logger: quiet,
      onStartedLeading: (signal) => {
        leadSignal = signal;
      },
      onStoppedLeading: () => void stoppedLeading++,
    });
    try {
      await informer.synced;
      await eventually(() => {
        assert.equal(informer.healthy(), true);
        assert.equal(elector.isLeader(), true);
      });

      const apiserver = env.kube.services.find((s) => s.name === "kube-apiserver");
      assert.ok(apiserver);
      const downAt = performance.now();
      // SIGTERM, SIGKILL after 5 s; then started again on the same port (below).
      const gone = apiserver.stop();
      await eventually(() => assert.match(String(informer.check()), /list\/watch failing/));
      console.error(
        `# informer unhealthy ${Math.round(performance.now() - downAt)} ms after the apiserver was sent SIGTERM`,
      );
      assert.equal(informer.get("default", "kept")?.data?.v, "1", "the cache still answers");

      await eventually(() => assert.equal(stoppedLeading, 1), 30_000);
      console.error(
        `# leadership given up ${Math.round(performance.now() - downAt)} ms after the apiserver was sent SIGTERM (expected about retry 1 s + renewDeadline 4 s)`,
      );
      assert.equal(leadSignal?.aborted, true);
      assert.equal(elector.isLeader(), false);
      await gone;

      await assert.rejects(client.get("v1", "ConfigMap", "default", "kept"), (err) => {
        assert.ok(err instanceof KubeApiError);
        assert.equal(err.code, 0);
        assert.equal(err.reason, "NetworkError");
        return true;
      });

      // Back up: the same address, the same etcd. A write made while the
      // informer was blind must reach its cache; the elector leads again.
      await env.kube.restartApiserver();
      await client.apply({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "after-restart", namespace: "default" },
        data: { v: "2" },
      });
      await eventually(() => {
        assert.equal(informer.healthy(), true);
        assert.equal(informer.get("default", "after-restart")?.data?.v, "2");
      }, 60_000);
      await eventually(() => assert.equal(elector.isLeader(), true), 30_000);
    } finally {
      await informer.stop();
      await elector.stop();
    }
  });
});
