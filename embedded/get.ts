// `amoskys get devices|findings|rules`: the columns `kubectl get` prints, from
// either mode. Kubernetes (--kubeconfig, or in-cluster): the objects listed
// through operator/kube, the columns from the CRDs' additionalPrinterColumns
// (crds/*.yaml), evaluated and formatted as the apiserver's table convertor
// and kubectl's printer do. Embedded (`amoskys up`): the analytics API's JSON
// mapped to the same columns (what the API does not know stays empty).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { compileRule } from "../analytics/detect/compile.ts";
import { findingName } from "../analytics/findings/names.ts";
import { API_VERSION, type DetectionRule, type KindName, readCrd } from "../crds/index.ts";
import { createKubeClient } from "../operator/kube/client.ts";
import { DEFAULT_PORT } from "./main.ts";
import { loadManifests, loadSchemas } from "./manifests.ts";
import { readDeviceSnapshot } from "./snapshot.ts";

// ---------------------------------------------------------------- formatting

/** A printer column of a CRD (additionalPrinterColumns). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
}

/**
 * kubectl's age format (k8s.io/apimachinery util/duration.HumanDuration):
 * 45s, 5m3s (under 10 min), 42m (under 3 h), 2h5m (under 8 h), 20h (under
 * 2 d), 2d3h (under 8 d), 30d (under 2 y), 2y5d (under 8 y), 9y.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A timestamp as an age cell ("<unknown>" without one, "<invalid>" when unparsable). */
export function age(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return "<unknown>";
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? "<invalid>" : humanDuration(now - t);
}

/**
 * kubectl's table layout (Go text/tabwriter, minwidth 6, padding 3, blanks):
 * each column but the last is as wide as its widest cell plus 3, at least 6;
 * headers are upper case.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const lines = [headers.map((h) => h.toUpperCase()), ...rows];
  const widths = headers.map((_, i) =>
    Math.max(6, ...lines.map((l) => Array.from(l[i] ?? "").length + 3)),
  );
  return lines
    .map((l) =>
      l
        .map((c, i) =>
          i === l.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - Array.from(c).length),
        )
        .join(""),
    )
    .join("\n");
}

/**
 * The value at a printer column's JSONPath: `.a.b`, `.a[0]`, and the filter
 * `.conditions[?(@.type=="Ready")].status` the CRDs use (CRD columns are
 * "simple JSONPath": one result is shown).
 */
export function jsonPathValue(obj: unknown, path: string): unknown {
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_-]+)=="([^"]*)"\)\]/gy;
  let cur: unknown = obj;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  let pos = 0;
  while (pos < path.length) {
    m = re.exec(path);
    if (!m) return undefined;
    pos = re.lastIndex;
    if (cur === null || cur === undefined) return undefined;
    if (m[1] !== undefined) cur = (cur as Record<string, unknown>)[m[1]];
    else if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else {
      const [key, want] = [m[3] as string, m[4]];
      cur = Array.isArray(cur)
        ? cur.find((x) => String((x as Record<string, unknown>)?.[key]) === want)
        : undefined;
    }
  }
  return cur;
}

/**
 * One cell as the apiserver's CRD table convertor makes it and kubectl prints
 * it: missing → empty (the convertor's nil cell, which kubectl prints as
 * nothing; checked against kubectl in get.test.ts); string columns print the value as JSONPath does
 * (objects and arrays as JSON); integer → whole number; date → age.
 */
export function cell(col: PrinterColumn, value: unknown, now: number): string {
  if (value === undefined || value === null) return "";
  switch (col.type) {
    case "integer":
      return typeof value === "number" ? String(Math.trunc(value)) : "";
    case "number":
      return typeof value === "number" ? String(value) : "";
    case "boolean":
      return typeof value === "boolean" ? String(value) : "";
    case "date":
      return typeof value === "string" ? age(value, now) : "";
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

/** The columns kubectl shows: NAME, the printer columns of priority 0 (all with wide). */
export function visibleColumns(cols: readonly PrinterColumn[], wide = false): PrinterColumn[] {
  return cols.filter((c) => wide || !c.priority);
}

/** The table of Kubernetes objects, as `kubectl get` prints it. */
export function objectTable(
  objects: readonly Record<string, unknown>[],
  cols: readonly PrinterColumn[],
  o: { now: number; allNamespaces?: boolean },
): string {
  const headers = [...(o.allNamespaces ? ["NAMESPACE"] : []), "NAME", ...cols.map((c) => c.name)];
  const rows = objects.map((obj) => {
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    return [
      ...(o.allNamespaces ? [meta.namespace ?? ""] : []),
      meta.name ?? "",
      ...cols.map((c) => cell(c, jsonPathValue(obj, c.jsonPath), o.now)),
    ];
  });
  return formatTable(headers, rows);
}

// ------------------------------------------------- embedded: API → objects

const RESOURCES = {
  devices: "Device",
  device: "Device",
  dev: "Device",
  findings: "Finding",
  finding: "Finding",
  rules: "DetectionRule",
  rule: "DetectionRule",
  detectionrules: "DetectionRule",
  detectionrule: "DetectionRule",
} as const satisfies Record<string, KindName>;

export interface ApiDevice {
  namespace: string;
  name: string;
  address: string;
  firstSeen: string;
  lastSeen: string;
  status: Record<string, unknown>;
  openFindings: { total?: number };
}

export interface ApiFinding {
  id: number;
  rule: { namespace: string; name: string };
  device: { namespace: string; name: string };
  key: string;
  severity: string;
  title: string;
  mitre: string[];
  count: number;
  lastSeen: string;
  firstSeen: string;
  state: string;
  createdAt?: string;
}

/** What the embedded mode knows about a Device beyond the API (from the rendered agent.yaml). */
export interface DeviceExtra {
  type?: string;
  criticality?: string;
  collector?: string;
  protocols?: string;
}

/**
 * An API device as a Device object, so the CRD's columns apply to it. There is
 * no creationTimestamp in this mode: AGE is the first stored telemetry.
 */
export function deviceObject(d: ApiDevice, extra: DeviceExtra = {}): Record<string, unknown> {
  return {
    metadata: { name: d.name, namespace: d.namespace, creationTimestamp: d.firstSeen },
    spec: { address: d.address, type: extra.type, criticality: extra.criticality },
    status: {
      protocols: extra.protocols ?? (Object.keys(d.status).join(",") || undefined),
      collector: extra.collector,
      lastSeen: d.lastSeen,
      openFindings: { total: d.openFindings?.total ?? 0 },
    },
  };
}

/**
 * A Device of the manifests as kubectl would list it: its spec, and a status
 * only once telemetry has arrived (the API knows the device); until then the
 * status columns are empty, as for a Device the operator has not reported on.
 */
export function declaredDeviceObject(
  d: { metadata: { name?: string; namespace?: string; creationTimestamp?: unknown }; spec: object },
  seen?: ApiDevice,
  extra: DeviceExtra = {},
): Record<string, unknown> {
  const created = d.metadata.creationTimestamp;
  return {
    metadata: {
      name: d.metadata.name,
      namespace: d.metadata.namespace ?? "default",
      creationTimestamp: typeof created === "string" ? created : seen?.firstSeen,
    },
    spec: d.spec,
    ...(seen && { status: deviceObject(seen, extra).status }),
  };
}

/** An API finding as the Finding object analytics writes in Kubernetes (same name). */
export function findingObject(f: ApiFinding): Record<string, unknown> {
  return {
    metadata: {
      name: findingName(f.device.name, f.rule.name, f.key),
      namespace: f.device.namespace,
      creationTimestamp: f.createdAt ?? f.firstSeen,
    },
    spec: {
      device: f.device.name,
      rule: f.rule.name,
      severity: f.severity,
      count: f.count,
      lastSeen: f.lastSeen,
      state: f.state,
      title: f.title,
    },
  };
}

/**
 * A rule of the manifests, with hits and last fired from the stored findings,
 * and Accepted as analytics decides it (False with the field and why).
 */
export function ruleObject(
  rule: { metadata: { name: string; namespace?: string }; spec: Record<string, unknown> },
  findings: readonly ApiFinding[],
): Record<string, unknown> {
  const namespace = rule.metadata.namespace ?? "default";
  const mine = findings.filter(
    (f) => f.rule.name === rule.metadata.name && f.rule.namespace === namespace,
  );
  const compiled = compileRule(
    { ...rule, metadata: { ...rule.metadata, namespace } } as unknown as DetectionRule,
    () => undefined,
  );
  const last = mine
    .map((f) => f.lastSeen)
    .sort()
    .at(-1);
  return {
    metadata: { name: rule.metadata.name, namespace },
    spec: { type: rule.spec.type, severity: rule.spec.severity, mitre: rule.spec.mitre },
    status: {
      hits: mine.reduce((n, f) => n + f.count, 0),
      lastFired: last,
      conditions: [
        compiled.accepted
          ? { type: "Accepted", status: "True", reason: "Valid" }
          : { type: "Accepted", status: "False", reason: "Invalid", message: compiled.reason },
      ],
    },
  };
}

// ----------------------------------------------------------------- command

const USAGE = `usage: amoskys get devices|findings|rules [-n <namespace> | -A] [-o wide]
       [--server <url>] [--data <dir> | --token-file <file>]   the embedded API (amoskys up)
       [--kubeconfig <file>]                              Kubernetes (in-cluster without flags)
       [-f <manifests>]                                   embedded: the manifests (devices, rules)

Prints the columns \`kubectl get\` prints (the CRDs' printer columns). Embedded
default: http://127.0.0.1:${DEFAULT_PORT} with the token file of --data (default
./amoskys-data/token), or --token-file; --token <token> works too, but a command
line is seen by every local user (ps). devices lists every Device of -f, else of
the snapshot amoskys up keeps in --data.`;

export async function printerColumns(kind: KindName): Promise<PrinterColumn[]> {
  const crd = await readCrd(kind);
  const v = crd.spec.versions.find((x) => x.storage) ?? crd.spec.versions[0];
  return (v?.additionalPrinterColumns ?? []) as PrinterColumn[];
}

async function apiGet<T>(server: string, token: string, path: string): Promise<T> {
  const r = await fetch(new URL(path, server), { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) {
    const body = await r.text();
    let detail = body;
    try {
      const p = JSON.parse(body) as { title?: string; detail?: string };
      detail = p.detail ?? p.title ?? body;
    } catch {
      // not JSON
    }
    throw new Error(`${path}: ${r.status} ${detail}`);
  }
  return (await r.json()) as T;
}

/** Every page of a list route. */
async function apiList<T>(server: string, token: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await apiGet<{ items: T[]; nextCursor?: string }>(
      server,
      token,
      `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

/** Type, criticality, profile and protocols of each device from <data>/pods/<ns>/<profile>/agent.yaml. */
async function deviceExtras(dataDir: string | undefined): Promise<Map<string, DeviceExtra>> {
  const out = new Map<string, DeviceExtra>();
  if (!dataDir) return out;
  const { readdir } = await import("node:fs/promises");
  const { parse } = await import("yaml");
  const PROTOCOLS = ["snmp", "modbus", "mqtt", "syslog", "hl7", "fhir", "flows"];
  try {
    for (const ns of await readdir(join(dataDir, "pods"))) {
      for (const profile of await readdir(join(dataDir, "pods", ns))) {
        try {
          const cfg = parse(
            await readFile(join(dataDir, "pods", ns, profile, "etc/amoskys/agent.yaml"), "utf8"),
          ) as { devices?: Record<string, unknown>[] };
          for (const d of cfg.devices ?? [])
            out.set(`${d.namespace}/${d.name}`, {
              type: d.type as string | undefined,
              collector: profile,
              protocols: PROTOCOLS.filter((p) => d[p] !== undefined).join(","),
            });
        } catch {
          // a profile without a rendered config
        }
      }
    }
  } catch {
    // no pods yet
  }
  return out;
}

export interface GetOptions {
  resource: string;
  namespace?: string;
  allNamespaces?: boolean;
  wide?: boolean;
  server?: string;
  token?: string;
  /** Read the token from here (default <data>/token, data default ./amoskys-data). */
  tokenFile?: string;
  data?: string;
  kubeconfig?: string;
  files?: string[];
  now?: number;
}

/** The table (or the "No resources found" message) for one `get`. */
export async function getTable(o: GetOptions): Promise<{ table?: string; empty?: string }> {
  const kind = RESOURCES[o.resource.toLowerCase() as keyof typeof RESOURCES];
  if (!kind) throw new Error(`the server doesn't have a resource type "${o.resource}"`);
  const now = o.now ?? Date.now();
  const cols = visibleColumns(await printerColumns(kind), o.wide);
  const ns = o.allNamespaces ? undefined : (o.namespace ?? "default");
  let objects: Record<string, unknown>[];
  const kube =
    o.kubeconfig !== undefined ||
    (o.server === undefined && o.data === undefined && !!process.env.KUBERNETES_SERVICE_HOST);
  if (kube) {
    const kc = new KubeConfig();
    if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
    else kc.loadFromCluster();
    const client = createKubeClient(kc, { registry: new Registry() });
    const list = await client.list(API_VERSION, kind, ns ? { namespace: ns } : {});
    objects = list.items as unknown as Record<string, unknown>[];
  } else {
    const server = o.server ?? `http://127.0.0.1:${DEFAULT_PORT}`;
    const dataDir = o.data ?? (o.server === undefined ? "amoskys-data" : undefined);
    // The token file by default, even with --server alone: a token is never needed on a command line.
    let token = o.token;
    if (token === undefined) {
      const file = o.tokenFile ?? join(o.data ?? "amoskys-data", "token");
      try {
        token = (await readFile(file, "utf8")).trim();
      } catch (err) {
        throw new Error(
          `no token: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give --data <dir> (the one of amoskys up) or --token-file <file>`,
        );
      }
    }
    if (!token) throw new Error("no token: the token file is empty");
    const q = ns ? `?namespace=${encodeURIComponent(ns)}` : "";
    if (kind === "Device") {
      const extras = await deviceExtras(dataDir);
      const seen = await apiList<ApiDevice>(server, token, `/api/v1/devices${q}`);
      // The Devices themselves: from -f, else the snapshot `amoskys up` keeps in --data.
      let declared: Parameters<typeof declaredDeviceObject>[0][] | undefined;
      if (o.files?.length) declared = (await loadManifests(o.files, await loadSchemas())).devices;
      else if (dataDir) declared = await readDeviceSnapshot(dataDir);
      if (declared) {
        const byKey = new Map(seen.map((d) => [`${d.namespace}/${d.name}`, d]));
        objects = declared
          .filter((d) => !ns || (d.metadata.namespace ?? "default") === ns)
          .map((d) => {
            const k = `${d.metadata.namespace ?? "default"}/${d.metadata.name}`;
            return declaredDeviceObject(d, byKey.get(k), extras.get(k));
          });
      } else {
        // Only the API (--server/--token without --data or -f): the Devices that sent telemetry.
        objects = seen.map((d) => deviceObject(d, extras.get(`${d.namespace}/${d.name}`)));
      }
    } else {
      const findings = await apiList<ApiFinding>(server, token, `/api/v1/findings${q}`);
      if (kind === "Finding") objects = findings.map(findingObject);
      else {
        // The API has no rules route: the rules come from the manifest files.
        if (!o.files?.length)
          throw new Error(
            "embedded mode: rules are read from the manifests: -f <file|dir> (as given to amoskys up)",
          );
        const m = await loadManifests(o.files, await loadSchemas());
        objects = m.rules
          .filter((r) => !ns || (r.metadata.namespace ?? "default") === ns)
          .map((r) => ruleObject(r as never, findings));
      }
    }
  }
  const sortKey = (x: Record<string, unknown>) => {
    const m = x.metadata as { namespace?: string; name?: string };
    return `${o.allNamespaces ? m.namespace : ""}\u0000${m.name}`;
  };
  objects.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  if (objects.length === 0)
    return { empty: ns ? `No resources found in ${ns} namespace.` : "No resources found" };
  return { table: objectTable(objects, cols, { now, allNamespaces: o.allNamespaces }) };
}

export async function getCommand(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        namespace: { type: "string", short: "n" },
        "all-namespaces": { type: "boolean", short: "A" },
        output: { type: "string", short: "o" },
        server: { type: "string" },
        token: { type: "string" },
        "token-file": { type: "string" },
        data: { type: "string" },
        kubeconfig: { type: "string" },
        filename: { type: "string", short: "f", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
  }
  try {
    parsed = parse();
  } catch (err) {
    console.error(`amoskys get: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const resource = positionals[0];
  if (!resource || positionals.length > 1) {
    console.error(`amoskys get: one resource type is required\n\n${USAGE}`);
    return 2;
  }
  if (values.output !== undefined && values.output !== "wide") {
    console.error(`amoskys get: -o ${values.output}: only -o wide is supported`);
    return 2;
  }
  try {
    const r = await getTable({
      resource,
      namespace: values.namespace,
      allNamespaces: values["all-namespaces"],
      wide: values.output === "wide",
      server: values.server,
      token: values.token,
      tokenFile: values["token-file"],
      data: values.data,
      kubeconfig: values.kubeconfig,
      files: values.filename,
    });
    if (r.empty) console.error(r.empty);
    else console.log(r.table);
    return 0;
  } catch (err) {
    console.error(`amoskys get: ${(err as Error).message}`);
    return 1;
  }
}
