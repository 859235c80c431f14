// Test fixture: runs one leader elector and prints a JSON line on stdout for
// every change, e.g. {"event":"started","identity":"a","t":1700000000000}.
// Events: ready, leader (a holder was observed; field `leader`), started,
// stopped, exited. SIGTERM stops gracefully (releasing the lease); the
// process also exits when its stdin closes (the test process died).
//
//   node operator/kube/testdata/elector.ts --kubeconfig F --namespace N --name L --identity I
//        [--lease-ms 15000] [--renew-ms 10000] [--retry-ms 2000]
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { createKubeClient } from "../client.ts";
import { runLeaderElection } from "../leader.ts";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    namespace: { type: "string", default: "default" },
    name: { type: "string" },
    identity: { type: "string" },
    "lease-ms": { type: "string" },
    "renew-ms": { type: "string" },
    "retry-ms": { type: "string" },
  },
});
if (!values.kubeconfig || !values.name || !values.identity) {
  console.error("usage: elector.ts --kubeconfig F --namespace N --name L --identity I");
  process.exit(2);
}
const identity = values.identity;
const print = (event: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, identity, t: Date.now(), ...extra })}\n`);
const ms = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const kc = new KubeConfig();
kc.loadFromFile(values.kubeconfig);
const elector = runLeaderElection({
  client: createKubeClient(kc, { registry: new Registry() }),
  namespace: values.namespace,
  name: values.name,
  identity,
  leaseDurationMs: ms(values["lease-ms"]),
  renewDeadlineMs: ms(values["renew-ms"]),
  retryPeriodMs: ms(values["retry-ms"]),
  onStartedLeading: () => void print("started"),
  onStoppedLeading: () => void print("stopped"),
  onNewLeader: (leader) => void print("leader", { leader }),
});
print("ready");

process.once("SIGTERM", async () => {
  await elector.stop();
  print("exited");
  process.exit(0);
});
process.stdin.on("close", () => process.exit(1));
process.stdin.on("end", () => process.exit(1));
process.stdin.resume();
