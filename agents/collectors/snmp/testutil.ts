// Helpers shared by this folder's tests (and analytics/detect/posture.test.ts):
// devices, secret files, and an snmpd with the factory community.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EnvContext, serviceDir } from "../../../e2e/env/context.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import { type Service, startService, waitReady } from "../../../e2e/env/proc.ts";
import type { AgentDevice, AgentSnmp } from "../../../operator/manifests/agent-config.ts";
import type { TelemetryEvent } from "../../collector.ts";
import { testContext } from "../../testing.ts";
import { createSnmpPoller } from "./poller.ts";

let dir: string | undefined;

/** Writes a secret file (as the operator's mounted Secret would be) and returns its path. */
export async function secretFile(name: string, value: string): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), "amoskys-snmp-secrets-"));
  const p = join(dir, name);
  await writeFile(p, `${value}\n`, { mode: 0o600 });
  return p;
}

export function snmpDevice(
  name: string,
  address: string,
  snmp: Partial<AgentSnmp> & Pick<AgentSnmp, "port">,
): AgentDevice {
  return {
    namespace: "test",
    name,
    address,
    type: "network",
    subject: `amoskys.test.${name}`,
    snmp: {
      version: "v2c",
      intervalSeconds: 60,
      timeoutSeconds: 2,
      profiles: ["system"],
      oids: [],
      tables: [],
      credentials: {},
      ...snmp,
    },
  };
}

export function metricsOf(events: TelemetryEvent[], name: string, kind?: number) {
  return events
    .filter((e) => e.metric?.name === name && (kind === undefined || e.metric.kind === kind))
    .map((e) => ({
      value: e.metric?.value as number,
      labels: (e.metric?.labels ?? {}) as Record<string, string>,
      unit: e.metric?.unit,
      kind: e.metric?.kind,
    }));
}

export function metricValue(
  events: TelemetryEvent[],
  name: string,
  labels: Record<string, string> = {},
  kind?: number,
): number | undefined {
  return metricsOf(events, name, kind).find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels[k] === v),
  )?.value;
}

/** The snmprec recording's value of an OID (ground truth; shared/testdata/SOURCES.md). */
export function recValue(rec: string, oid: string): string | undefined {
  for (const line of rec.split("\n")) {
    const [o, tag, ...rest] = line.split("|");
    if (o !== oid || tag === undefined) continue;
    const v = rest.join("|");
    return tag.endsWith("x") ? Buffer.from(v, "hex").toString("utf8") : v;
  }
  return undefined;
}

/**
 * A second snmpd (beside e2e/env's, whose community is random) answering the
 * factory default read community "public", sysName "public-snmpd", in a
 * directory under an env's root; ready once the poller reaches it.
 */
export async function startPublicSnmpd(envRoot: string): Promise<{ port: number; svc: Service }> {
  const port = await freePort("udp");
  const ctx = { root: envRoot } as EnvContext;
  const dir = await serviceDir(ctx, "snmpd-public", "nobody");
  const persist = await serviceDir(ctx, "snmpd-public/persist", "nobody");
  const conf = join(dir, "snmpd.conf");
  await writeFile(
    conf,
    `[snmp] persistentDir ${persist}\nagentAddress udp:127.0.0.1:${port}\nrocommunity public 127.0.0.1\nsysName public-snmpd\n`,
    { mode: 0o644 },
  );
  const svc = startService({
    name: "snmpd-public",
    command: "/usr/sbin/snmpd",
    args: ["-f", "-Lo", "-C", "-I", "-smux", "-c", conf, "-p", join(dir, "snmpd.pid")],
    env: { ...process.env, MIBS: "" },
    user: "nobody",
    logFile: join(dir, "snmpd.log"),
  });
  const probe = createSnmpPoller(
    snmpDevice("probe", "127.0.0.1", {
      port,
      timeoutSeconds: 1,
      credentials: { communityFile: await secretFile("public", "public") },
    }),
    testContext(),
    { retries: 0 },
  );
  await waitReady(svc, async () => (await probe.pollOnce()).reachable);
  return { port, svc };
}
