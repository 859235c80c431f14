// The real test environment. Tests start what they need:
//
//   const env = await startEnv({ kube: true, nats: true, postgres: true });
//   try { ... env.kube.kubeconfig ... env.nats.url ... } finally { await env.stop(); }
//
// Every service runs on 127.0.0.1 with free ports, in its own folder under one
// temp dir, and is stopped (and the dir removed) by stop(), on Ctrl-C, or by the
// kernel when the test process dies.
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvContext } from "./context.ts";
import { CertificateAuthority } from "./pki.ts";
import { removeOnInterrupt, type Service } from "./proc.ts";
import { type ClusterEnv, type ClusterOptions, startCluster } from "./services/cluster.ts";
import { type KubeEnv, startKube } from "./services/kube.ts";
import { type ModbusEnv, type ModbusLayout, startModbus } from "./services/modbus.ts";
import { type MqttEnv, startMqtt } from "./services/mqtt.ts";
import { type NatsEnv, type NatsOptions, startNats } from "./services/nats.ts";
import { type PostgresEnv, startPostgres } from "./services/postgres.ts";
import { type SnmpdEnv, type SnmpsimEnv, startSnmpd, startSnmpsim } from "./services/snmp.ts";
import { missingDebianPackages, missingGoTargets, missingNodeImages } from "./toolchain.ts";

export type {
  ClusterEnv,
  KubeEnv,
  ModbusEnv,
  ModbusLayout,
  MqttEnv,
  NatsEnv,
  PostgresEnv,
  SnmpdEnv,
  SnmpsimEnv,
};

export interface EnvOptions {
  kube?: boolean;
  /** A cluster with nodes (node-amd64, node-arm64) running pods: e2e/env/services/cluster.ts. */
  cluster?: boolean | ClusterOptions;
  nats?: boolean | NatsOptions;
  postgres?: boolean;
  mqtt?: boolean;
  /** snmpd (live agent) and snmpsim (recorded devices). */
  snmp?: boolean;
  modbus?: boolean | ModbusLayout;
  /** Print start-up times (default true). */
  verbose?: boolean;
}

export interface Env {
  /** Temp folder holding every service's config, data and log. */
  root: string;
  /** CA certificate that signed every server and client certificate here. */
  caFile: string;
  kube?: KubeEnv;
  cluster?: ClusterEnv;
  nats?: NatsEnv;
  postgres?: PostgresEnv;
  mqtt?: MqttEnv;
  snmpd?: SnmpdEnv;
  snmpsim?: SnmpsimEnv;
  modbus?: ModbusEnv;
  /** Every process running, in stop order. */
  readonly services: Service[];
  /** Start-up time of each part, in milliseconds. */
  startupMs: Record<string, number>;
  stop(): Promise<void>;
}

/** An Env whose parts the caller asked for; the rest stay optional. */
export type EnvWith<O extends EnvOptions> = Env & {
  [K in keyof O & ("kube" | "cluster" | "nats" | "postgres" | "mqtt" | "modbus")]: O[K] extends
    | false
    | undefined
    ? Env[K]
    : NonNullable<Env[K]>;
} & (O["snmp"] extends true ? { snmpd: SnmpdEnv; snmpsim: SnmpsimEnv } : unknown);

export class EnvNotInstalledError extends Error {
  override readonly name = "EnvNotInstalledError";
}

export async function startEnv<const O extends EnvOptions>(opts: O): Promise<EnvWith<O>> {
  const missing = [
    ...missingDebianPackages(),
    ...missingGoTargets().map((t) => `${t.name} ${t.version}`),
    ...(opts.cluster ? missingNodeImages() : []),
  ];
  if (missing.length) {
    throw new EnvNotInstalledError(
      `test environment incomplete (missing: ${missing.join(", ")}); run: npm run setup:test-env`,
    );
  }
  const t0 = performance.now();
  const root = await mkdtemp(join(tmpdir(), "amoskys-env-"));
  await chmod(root, 0o755); // peers run as unprivileged users and must reach their folders
  await mkdir(join(root, "pki"), { mode: 0o755 });
  const ca = await CertificateAuthority.create(join(root, "pki"));
  const ctx: EnvContext = { root, ca, host: "127.0.0.1" };
  const parts: Service[][] = [];
  const env: Env = {
    root,
    caFile: ca.cert,
    // Computed: a part may replace a process (restartApiserver).
    get services() {
      return parts.flat();
    },
    startupMs: {},
    stop: async () => {},
  };
  const forgetRoot = removeOnInterrupt(root);

  const timed = async <T extends { services: Service[] }>(
    name: string,
    start: () => Promise<T>,
  ) => {
    const s = performance.now();
    const part = await start();
    parts.push(part.services);
    env.startupMs[name] = Math.round(performance.now() - s);
    return part;
  };
  let stopped = false;
  env.stop = async () => {
    if (stopped) return;
    stopped = true;
    // Parts stop in parallel; within a part in order (kube: controller-manager,
    // apiserver, etcd; stopped together, the apiserver and etcd wait on each other).
    await Promise.all(
      parts.map(async (p) => {
        for (const s of p) await s.stop();
      }),
    );
    forgetRoot();
    if (!process.env.AMOSKYS_KEEP_ENV) await rm(root, { recursive: true, force: true });
  };

  // All parts start in parallel; a failure stops whatever did start. A cluster
  // starts first, alone: the others then listen on its bridge address.
  const starts: Promise<unknown>[] = [];
  if (opts.kube) starts.push(timed("kube", () => startKube(ctx)).then((k) => (env.kube = k)));
  if (opts.cluster) {
    const clusterOpts = typeof opts.cluster === "object" ? opts.cluster : {};
    try {
      const c = await timed("cluster", () => startCluster(ctx, clusterOpts));
      env.cluster = c;
      ctx.host = c.hostIp;
      ctx.podNetwork = c.podNetwork;
    } catch (err) {
      await env.stop();
      throw err;
    }
  }
  if (opts.nats) {
    const natsOpts = typeof opts.nats === "object" ? opts.nats : {};
    starts.push(timed("nats", () => startNats(ctx, natsOpts)).then((n) => (env.nats = n)));
  }
  if (opts.postgres)
    starts.push(timed("postgres", () => startPostgres(ctx)).then((p) => (env.postgres = p)));
  if (opts.mqtt) starts.push(timed("mqtt", () => startMqtt(ctx)).then((m) => (env.mqtt = m)));
  if (opts.snmp) {
    starts.push(timed("snmpd", () => startSnmpd(ctx)).then((s) => (env.snmpd = s)));
    starts.push(timed("snmpsim", () => startSnmpsim(ctx)).then((s) => (env.snmpsim = s)));
  }
  if (opts.modbus) {
    const layout = typeof opts.modbus === "object" ? opts.modbus : undefined;
    starts.push(timed("modbus", () => startModbus(ctx, layout)).then((m) => (env.modbus = m)));
  }
  const results = await Promise.allSettled(starts);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length) {
    await env.stop();
    throw failed.length === 1
      ? failed[0]?.reason
      : new AggregateError(
          failed.map((f) => f.reason),
          "test environment failed to start",
        );
  }
  env.startupMs.total = Math.round(performance.now() - t0);
  if (opts.verbose !== false) {
    const parts = Object.entries(env.startupMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`);
    console.error(`# test env up: ${parts.join(", ")} (${root})`);
  }
  return env as EnvWith<O>;
}
