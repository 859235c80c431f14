// `amoskys analytics`: consumes telemetry, stores it, detects, reports findings.
// Runs until SIGTERM, then finishes the batch in hand and saves its state.
import { parseArgs } from "node:util";
import { createLogger } from "../runtime/log.ts";
import { type AnalyticsOptions, startAnalytics } from "./runtime.ts";

export function parseAnalyticsArgs(argv: string[]): AnalyticsOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      "operator-namespace": { type: "string" },
      "nats-url": { type: "string" },
      "nats-user": { type: "string" },
      "nats-password-file": { type: "string" },
      "nats-ca-file": { type: "string" },
      "postgres-url": { type: "string" },
      "postgres-ca-file": { type: "string" },
      durable: { type: "string" },
      "metrics-port": { type: "string" },
      "metrics-host": { type: "string" },
      "flush-interval-ms": { type: "string" },
      "api-port": { type: "string" },
      "api-host": { type: "string" },
      "api-tls-cert-file": { type: "string" },
      "api-tls-key-file": { type: "string" },
    },
  });
  const required = [
    "nats-url",
    "nats-user",
    "nats-password-file",
    "nats-ca-file",
    "postgres-url",
  ] as const;
  const missing = required.filter((k) => !values[k]);
  if (missing.length) throw new Error(`missing ${missing.map((m) => `--${m}`).join(", ")}`);
  const port = Number(values["metrics-port"] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error("--metrics-port must be a port number");
  return {
    ...(values.kubeconfig && { kubeconfig: values.kubeconfig }),
    operatorNamespace: values["operator-namespace"] ?? "amoskys-system",
    nats: {
      url: values["nats-url"] as string,
      user: values["nats-user"] as string,
      passwordFile: values["nats-password-file"] as string,
      caFile: values["nats-ca-file"] as string,
    },
    postgres: {
      url: values["postgres-url"] as string,
      ...(values["postgres-ca-file"] && { caFile: values["postgres-ca-file"] }),
    },
    ...(values.durable && { durable: values.durable }),
    metricsPort: port,
    metricsHost: values["metrics-host"] ?? "0.0.0.0",
    ...(values["flush-interval-ms"] && { flushIntervalMs: Number(values["flush-interval-ms"]) }),
    ...(values["api-port"] !== undefined &&
      values["api-port"] !== "off" && {
        api: {
          port: Number(values["api-port"]),
          host: values["api-host"] ?? "0.0.0.0",
          ...(values["api-tls-cert-file"] &&
            values["api-tls-key-file"] && {
              tls: { certFile: values["api-tls-cert-file"], keyFile: values["api-tls-key-file"] },
            }),
        },
      }),
  };
}

export async function analyticsCommand(argv: string[]): Promise<number> {
  let opts: AnalyticsOptions;
  try {
    opts = parseAnalyticsArgs(argv);
  } catch (err) {
    console.error(`amoskys analytics: ${(err as Error).message}`);
    return 2;
  }
  const logger = createLogger("analytics");
  const a = await startAnalytics({ ...opts, logger });
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  logger.info("stopping");
  await a.stop();
  return 0;
}
