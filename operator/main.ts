// `amoskys operator`: the controller process. Every replica serves /metrics,
// /healthz and /readyz; only the holder of the Lease reconciles.
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { createLogger } from "../runtime/log.ts";
import { createOpsServer } from "../runtime/ops-server.ts";
import { createKubeClient } from "./kube/client.ts";
import { runLeaderElection } from "./kube/leader.ts";
import { startController } from "./reconcile/controller.ts";

export const LEASE_NAME = "amoskys-operator";

export interface OperatorOptions {
  kubeconfig?: string;
  /** Namespace to watch; empty or undefined: all. */
  namespace?: string;
  operatorNamespace: string;
  collectorImage: string;
  natsUrl: string;
  /** Secret in operatorNamespace with the collectors' NATS client credentials (optional). */
  natsSecret?: string;
  metricsPort: number;
  metricsHost: string;
  identity: string;
  /** Lease timing: a killed leader is replaced within leaseDuration + retryPeriod (< 15 s). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

// A killed leader is replaced after the lease expires plus at most one retry: 10 + 2 s, with
// room below the 15 s the project promises on a loaded machine.
const LEASE_DEFAULTS = { leaseDurationMs: 10_000, renewDeadlineMs: 7_000, retryPeriodMs: 2_000 };

export function parseOperatorArgs(argv: string[]): OperatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      namespace: { type: "string", default: "" },
      "operator-namespace": {
        type: "string",
        default: process.env.POD_NAMESPACE ?? "amoskys-system",
      },
      "collector-image": { type: "string" },
      "nats-url": { type: "string" },
      "nats-secret": { type: "string", default: "" },
      "metrics-port": { type: "string", default: "8080" },
      "metrics-host": { type: "string", default: "0.0.0.0" },
      identity: { type: "string", default: process.env.POD_NAME ?? hostname() },
    },
    strict: true,
  });
  const missing = ["collector-image", "nats-url"].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new Error(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
  // It becomes a field selector: a Secret name, nothing more.
  const natsSecret = values["nats-secret"] ?? "";
  if (natsSecret && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(natsSecret))
    throw new Error("--nats-secret must be a Secret name");
  const port = Number(values["metrics-port"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error("--metrics-port must be a port number");
  return {
    kubeconfig: values.kubeconfig,
    namespace: values.namespace || undefined,
    operatorNamespace: values["operator-namespace"] ?? "amoskys-system",
    collectorImage: values["collector-image"] ?? "",
    natsUrl: values["nats-url"] ?? "",
    ...(natsSecret && { natsSecret }),
    metricsPort: port,
    metricsHost: values["metrics-host"] ?? "0.0.0.0",
    identity: values.identity ?? hostname(),
  };
}

export interface RunningOperator {
  metricsPort: number;
  isLeader(): boolean;
  /** Stops reconciling, releases the Lease, closes the ops server. Idempotent. */
  stop(): Promise<void>;
}

export async function runOperator(o: OperatorOptions): Promise<RunningOperator> {
  const log = createLogger("operator", { base: { identity: o.identity } });
  const kc = new KubeConfig();
  if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
  else kc.loadFromDefault();
  const ops = createOpsServer("amoskys_operator");
  const client = createKubeClient(kc, { registry: ops.registry });

  let controller: Awaited<ReturnType<typeof startController>> | undefined;
  const election = runLeaderElection({
    client,
    namespace: o.operatorNamespace,
    name: LEASE_NAME,
    identity: o.identity,
    leaseDurationMs: o.leaseDurationMs ?? LEASE_DEFAULTS.leaseDurationMs,
    renewDeadlineMs: o.renewDeadlineMs ?? LEASE_DEFAULTS.renewDeadlineMs,
    retryPeriodMs: o.retryPeriodMs ?? LEASE_DEFAULTS.retryPeriodMs,
    registry: ops.registry,
    logger: log,
    async onStartedLeading(signal) {
      log.info("leading: starting the controller");
      const c = await startController({
        kc,
        namespace: o.namespace,
        operatorNamespace: o.operatorNamespace,
        image: o.collectorImage,
        natsUrl: o.natsUrl,
        natsSecret: o.natsSecret,
        registry: ops.registry,
        logger: log,
      });
      controller = c;
      signal.addEventListener("abort", () => {
        log.info("lost the lease: stopping the controller");
        controller = undefined;
        void c.stop();
      });
    },
  });
  // A standby replica is ready (it can take over); the leader once its caches are synced.
  ops.addReadyCheck("controller", () => (controller ? controller.ready() : true));
  ops.addHealthCheck("process", () => true);
  const metricsPort = await ops.listen(o.metricsPort, o.metricsHost);
  log.info("started", { metricsPort, namespace: o.namespace ?? "(all)" });

  let stopping: Promise<void> | undefined;
  return {
    metricsPort,
    isLeader: () => election.isLeader(),
    stop() {
      stopping ??= (async () => {
        await controller?.stop();
        await election.stop();
        await ops.close();
        log.info("stopped");
      })();
      return stopping;
    },
  };
}

/** The CLI entry: runs until SIGTERM/SIGINT, then shuts down gracefully. */
export async function operatorCommand(argv: string[]): Promise<number> {
  let opts: OperatorOptions;
  try {
    opts = parseOperatorArgs(argv);
  } catch (err) {
    console.error(`amoskys operator: ${(err as Error).message}`);
    return 2;
  }
  const op = await runOperator(opts);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await op.stop();
  return 0;
}
