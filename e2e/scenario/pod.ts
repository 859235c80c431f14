// A stand-in kubelet for one collector pod: reads the pod template of the
// collector workload the operator wrote (Deployment or DaemonSet), lays out
// its volumes below a root directory as the kubelet would mount them
// (projected ConfigMap and Secret items at <root><mountPath>/<path>, emptyDirs
// as empty folders), resolves its env (fieldRefs: pod name, node name,
// namespace), and runs its container's command as a process:
//   node agents/cli.ts --config <root>/etc/amoskys/agent.yaml --root <root> --host 127.0.0.1 --ops-port 0
// Nothing is rendered here: what the agent reads is exactly what the operator
// wrote to the apiserver.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { V1Container, V1PodTemplateSpec, V1Volume } from "@kubernetes/client-node";
import { type Service, startService } from "../env/proc.ts";
import { repoRoot } from "../env/toolchain.ts";

export type Kubectl = (...args: string[]) => Promise<string>;

export interface PodOptions {
  kubectl: Kubectl;
  namespace: string;
  kind: "deployment" | "daemonset";
  /** The workload's name (amoskys-collector-<profile>). */
  workload: string;
  /** metadata.name of the pod (AMOSKYS_POD_NAME): a new name is a new pod. */
  podName: string;
  /** spec.nodeName (AMOSKYS_NODE_NAME). */
  nodeName: string;
  /** Folder under which this pod's root (its "/") is made: <parent>/<podName>. */
  parent: string;
}

export interface Pod {
  name: string;
  root: string;
  /** The template's amoskys.io/config-hash annotation. */
  configHash: string;
  /** The agent.yaml as mounted. */
  agentConfig: string;
  env: Record<string, string>;
  service: Service;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

interface Projection {
  configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
  secret?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
}

/** Each file of a volume, relative to its mount point; emptyDir: none. */
async function volumeFiles(
  kubectl: Kubectl,
  namespace: string,
  v: V1Volume,
): Promise<Map<string, Buffer> | undefined> {
  if (v.emptyDir) return new Map();
  const sources: Projection[] = v.projected
    ? (v.projected.sources as Projection[])
    : v.configMap
      ? [{ configMap: v.configMap as Projection["configMap"] & object }]
      : v.secret
        ? [
            {
              secret: { ...v.secret, name: v.secret.secretName ?? "" } as Projection["secret"] &
                object,
            },
          ]
        : [];
  if (sources.length === 0) return undefined;
  const files = new Map<string, Buffer>();
  for (const s of sources) {
    const src = s.configMap ?? s.secret;
    if (!src) throw new Error(`volume ${v.name}: unsupported projection ${JSON.stringify(s)}`);
    const kind = s.configMap ? "configmap" : "secret";
    let obj: { data?: Record<string, string> };
    try {
      obj = JSON.parse(await kubectl("get", kind, src.name, "-n", namespace, "-o", "json"));
    } catch (err) {
      // The kubelet skips a missing optional source and refuses to start on a required one.
      if (src.optional) continue;
      throw new Error(`volume ${v.name}: ${kind} ${src.name}: ${(err as Error).message}`);
    }
    const data = obj.data ?? {};
    const decode = (x: string) => (s.secret ? Buffer.from(x, "base64") : Buffer.from(x, "utf8"));
    const items = src.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const it of items) {
      const value = data[it.key];
      if (value === undefined) {
        if (src.optional) continue;
        throw new Error(`volume ${v.name}: ${kind} ${src.name} has no key ${it.key}`);
      }
      files.set(it.path, decode(value));
    }
  }
  return files;
}

function resolveEnv(c: V1Container, o: PodOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const fields: Record<string, string> = {
    "metadata.name": o.podName,
    "metadata.namespace": o.namespace,
    "spec.nodeName": o.nodeName,
    // A pod's UID is new with every pod, as the kubelet's is.
    "metadata.uid": randomUUID(),
  };
  for (const e of c.env ?? []) {
    if (e.value !== undefined) out[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) {
      const v = fields[e.valueFrom.fieldRef.fieldPath];
      if (v === undefined) throw new Error(`env ${e.name}: unsupported fieldRef`);
      out[e.name] = v;
    } else throw new Error(`env ${e.name}: unsupported valueFrom`);
  }
  return out;
}

/** The pod template as the apiserver holds it now. */
export async function podTemplate(
  kubectl: Kubectl,
  namespace: string,
  kind: PodOptions["kind"],
  workload: string,
): Promise<V1PodTemplateSpec> {
  const w = JSON.parse(await kubectl("get", kind, workload, "-n", namespace, "-o", "json"));
  return w.spec.template as V1PodTemplateSpec;
}

export async function startPod(o: PodOptions): Promise<Pod> {
  const tpl = await podTemplate(o.kubectl, o.namespace, o.kind, o.workload);
  const spec = tpl.spec;
  const c = spec?.containers.find((x) => x.name === "agent") ?? spec?.containers[0];
  if (!spec || !c) throw new Error(`${o.kind}/${o.workload}: no container`);
  const root = join(o.parent, o.podName);
  const mounts: string[] = [];
  for (const m of c.volumeMounts ?? []) {
    const v = spec.volumes?.find((x) => x.name === m.name);
    if (!v) throw new Error(`volume mount ${m.name}: no such volume`);
    const files = await volumeFiles(o.kubectl, o.namespace, v);
    if (!files) throw new Error(`volume ${v.name}: unsupported kind`);
    const dir = join(root, m.mountPath);
    await mkdir(dir, { recursive: true });
    mounts.push(m.mountPath);
    for (const [path, data] of files) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, data, { mode: v.projected?.defaultMode ?? 0o644 });
    }
  }
  // The container's args, with paths inside the pod's mounts moved below the root.
  const [command, ...args] = c.args ?? [];
  if (command !== "agent")
    throw new Error(`container args ${JSON.stringify(c.args)}: not the agent`);
  const rebased = args.map((a) =>
    a.startsWith("/") && mounts.some((m) => a.startsWith(`${m}/`)) ? join(root, a) : a,
  );
  const env = resolveEnv(c, o);
  const service = startService({
    name: o.podName,
    command: process.execPath,
    args: [
      join(repoRoot, "agents/cli.ts"),
      ...rebased,
      "--root",
      root,
      "--host",
      "127.0.0.1",
      "--ops-port",
      "0",
    ],
    env: { ...process.env, ...env },
    logFile: join(o.parent, `${o.podName}.log`),
  });
  const configArg = rebased[rebased.indexOf("--config") + 1] ?? "";
  return {
    name: o.podName,
    root,
    configHash: tpl.metadata?.annotations?.["amoskys.io/config-hash"] ?? "",
    agentConfig: await readFile(configArg, "utf8"),
    env,
    service,
    logTail: (lines = 30) => service.logTail(lines),
    stop: () => service.stop(20_000),
  };
}
