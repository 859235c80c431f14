// The chart renders with the real helm, lints clean, installs into the real
// apiserver, and its RBAC gives the operator exactly what it needs. Its values
// schema, preflight, names, monitors, alerts (real promtool) and dashboard are
// checked here too.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { collectDefaultMetrics, Registry } from "prom-client";
import { parse, parseAllDocuments, stringify } from "yaml";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { bin, KUBERNETES_VERSION, repoRoot } from "../e2e/env/toolchain.ts";

const exec = promisify(execFile);
const chart = join(import.meta.dirname, "amoskys");
const NS = "amoskys-system";
const OPERATOR = `system:serviceaccount:${NS}:amoskys-operator`;

/** The Prometheus Operator whose CRDs the monitors are applied against (Go module, its example/ CRDs). */
const PROMETHEUS_OPERATOR = "v0.85.0";
const PROMETHEUS_OPERATOR_SUM = "h1:M5xLCLEoaW2IJfnuCwFzzpL+jSVQu3KGT84Pye+fW8s=";

async function helm(...args: string[]): Promise<string> {
  return (await exec(bin("helm"), args, { maxBuffer: 64 << 20 })).stdout;
}

/** helm's error text (stderr), or a failure if the command succeeded. */
async function helmFails(...args: string[]): Promise<string> {
  try {
    await helm(...args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  assert.fail(`helm ${args.join(" ")} succeeded`);
}

async function template(release: string, ns: string, ...args: string[]): Promise<string> {
  return helm("template", release, chart, "-n", ns, "--kube-version", KUBERNETES_VERSION, ...args);
}

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: manifests of many kinds
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: manifests of many kinds
  [k: string]: any;
};

function objects(manifests: string): Obj[] {
  return parseAllDocuments(manifests)
    .map((d) => d.toJSON())
    .filter(Boolean);
}

function find(objs: Obj[], kind: string, name: string): Obj {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} not rendered`);
  return o;
}

/** The PrometheusRule, rendered for the release amoskys in amoskys-system. */
async function renderedRule(): Promise<Obj> {
  const out = await template(
    "amoskys",
    NS,
    "--set",
    "prometheusRule.enabled=true",
    "--show-only",
    "templates/prometheusrule.yaml",
  );
  return find(objects(out), "PrometheusRule", "amoskys");
}

const CLUSTER_SCOPED = new Set(["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"]);

function goBinary(): string {
  for (const p of ["/usr/local/go/bin/go", "/usr/lib/go/bin/go"]) if (existsSync(p)) return p;
  return "go";
}

/**
 * The Prometheus Operator's CRDs, from its Go module (the module cache, else
 * the Go module proxy), checked against the module's known hash.
 */
async function prometheusOperatorCrdDir(cwd: string): Promise<string> {
  const { stdout } = await exec(
    goBinary(),
    [
      "mod",
      "download",
      "-json",
      `github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR}`,
    ],
    { cwd, env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "" }, maxBuffer: 16 << 20 },
  );
  const mod = JSON.parse(stdout) as { Dir: string; Sum: string; Error?: string };
  assert.equal(mod.Error, undefined, mod.Error);
  assert.equal(mod.Sum, PROMETHEUS_OPERATOR_SUM);
  return join(mod.Dir, "example/prometheus-operator-crd");
}

// ---- the metrics the components export, read from their sources

const METRIC_SOURCES = ["operator", "analytics", "agents", "runtime", "proto"];

/**
 * Every metric name the product defines, as Prometheus sees it: prom-client
 * declarations (`new Counter({ name: "amoskys_…" })` and operator/kube/metrics.ts's
 * `counter(registry, "amoskys_…", …)`), histograms with _bucket/_sum/_count;
 * plus prom-client's process metrics under each createOpsServer("<prefix>").
 */
async function exportedMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  const add = (name: string, type: string) => {
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
    else if (type === "summary") for (const s of ["", "_sum", "_count"]) names.add(name + s);
    else names.add(name);
  };
  const prefixes = new Set<string>();
  for (const dir of METRIC_SOURCES) {
    const files = (await readdir(join(repoRoot, dir), { recursive: true })).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("node_modules"),
    );
    for (const f of files) {
      const src = await readFile(join(repoRoot, dir, f), "utf8");
      for (const m of src.matchAll(
        /new (Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{[^}]*?\bname:\s*"(amoskys_\w+)"/g,
      ))
        add(m[2] ?? "", (m[1] ?? "").toLowerCase());
      for (const m of src.matchAll(/\b(counter|gauge|histogram)\(\s*[\w.]+,\s*"(amoskys_\w+)"/g))
        add(m[2] ?? "", m[1] ?? "");
      for (const m of src.matchAll(/createOpsServer\("(amoskys_\w+)"\)/g)) prefixes.add(m[1] ?? "");
    }
  }
  for (const prefix of prefixes) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
    for (const m of await registry.getMetricsAsJSON()) add(m.name, String(m.type));
  }
  return names;
}

const PROMQL_WORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "offset",
  "bool",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression selects: what is left once strings,
 * label matchers, ranges, grouping clauses, functions and keywords are gone.
 */
function promqlMetrics(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const out: string[] = [];
  for (const m of bare.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(?!\w)(\s*\()?/g)) {
    const [, name = "", call] = m;
    if (call || PROMQL_WORDS.has(name.toLowerCase())) continue;
    out.push(name);
  }
  return out;
}

/** Metric names of a Grafana variable query: label_values(<selector>, label) or a PromQL query. */
function variableMetrics(query: string): string[] {
  const lv = /^label_values\((.*),\s*\w+\)$/.exec(query.trim());
  return promqlMetrics(lv ? (lv[1] ?? "") : query.replace(/^query_result\((.*)\)$/, "$1"));
}

describe("helm chart amoskys", () => {
  let env: EnvWith<{ kube: true }>;
  let rendered: string;
  let asOperator: string;

  const kubectl = async (kubeconfig: string, ...args: string[]) =>
    (await exec(env.kube.kubectl, ["--kubeconfig", kubeconfig, ...args])).stdout.trim();
  const canI = async (verb: string, resource: string, ns = "default") => {
    try {
      const [res = "", sub] = resource.split("/");
      const args = ["auth", "can-i", verb, res, "-n", ns, ...(sub ? [`--subresource=${sub}`] : [])];
      return (await kubectl(asOperator, ...args)) === "yes";
    } catch (err) {
      if ((err as { stdout?: string }).stdout?.trim() === "no") return false;
      throw err;
    }
  };

  /** helm against the real apiserver, with its own config and cache folders. */
  const liveHelm = (ns: string, ...args: string[]) => {
    const home = join(env.root, "helm-home");
    return exec(bin("helm"), ["--kubeconfig", env.kube.kubeconfig, "-n", ns, ...args], {
      maxBuffer: 16 << 20,
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(home, "cache"),
        HELM_CONFIG_HOME: join(home, "config"),
        HELM_DATA_HOME: join(home, "data"),
      },
    });
  };
  const liveHelmFails = async (ns: string, ...args: string[]): Promise<string> => {
    try {
      await liveHelm(ns, ...args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    assert.fail(`helm ${args.join(" ")} succeeded`);
  };

  before(async () => {
    env = await startEnv({ kube: true });
    rendered = await helm(
      "template",
      "amoskys",
      chart,
      "-n",
      NS,
      "--include-crds",
      "--kube-version",
      KUBERNETES_VERSION,
    );
    const file = join(env.root, "rendered.yaml");
    await writeFile(file, rendered);
    await kubectl(env.kube.kubeconfig, "create", "namespace", NS);
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", file);
    // The operator's own identity, as the apiserver sees its ServiceAccount token.
    asOperator = await env.kube.mintKubeconfig(OPERATOR, [
      "system:serviceaccounts",
      `system:serviceaccounts:${NS}`,
    ]);
  });
  after(() => env?.stop());

  it("lints clean", async () => {
    const out = await helm("lint", chart, "--kube-version", KUBERNETES_VERSION);
    assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("renders the CRDs, the operator's and analytics' identities, RBAC and workloads", () => {
    const kinds = parseAllDocuments(rendered)
      .map((d) => d.toJSON())
      .filter(Boolean)
      .map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)
      .sort();
    assert.deepEqual(kinds, [
      "ClusterRole/amoskys-analytics-findings",
      "ClusterRole/amoskys-operator",
      "ClusterRoleBinding/amoskys-analytics-auth-delegator",
      "ClusterRoleBinding/amoskys-analytics-findings",
      "ClusterRoleBinding/amoskys-operator",
      "CustomResourceDefinition/collectorprofiles.amoskys.io",
      "CustomResourceDefinition/detectionrules.amoskys.io",
      "CustomResourceDefinition/devices.amoskys.io",
      "CustomResourceDefinition/discoveryscans.amoskys.io",
      "CustomResourceDefinition/findings.amoskys.io",
      "Deployment/amoskys-analytics",
      "Deployment/amoskys-operator",
      "PodDisruptionBudget/amoskys-operator",
      "Role/amoskys-analytics-trust",
      "Role/amoskys-operator-leader-election",
      "RoleBinding/amoskys-analytics-trust",
      "RoleBinding/amoskys-operator-leader-election",
      "Service/amoskys-analytics",
      "Service/amoskys-operator-metrics",
      "ServiceAccount/amoskys-analytics",
      "ServiceAccount/amoskys-operator",
    ]);
  });

  it("lets the operator read Devices and profiles and write only their status", async () => {
    for (const [verb, res] of [
      ["list", "devices.amoskys.io"],
      ["watch", "collectorprofiles.amoskys.io"],
      ["patch", "devices.amoskys.io/status"],
      ["patch", "collectorprofiles.amoskys.io/status"],
      ["patch", "collectorprofiles.amoskys.io"], // the trust-cleanup finalizer
    ] as const) {
      assert.equal(await canI(verb, res), true, `${verb} ${res}`);
    }
    for (const [verb, res] of [
      ["patch", "devices.amoskys.io"], // GitOps owns spec
      ["delete", "devices.amoskys.io"],
      ["create", "collectorprofiles.amoskys.io"],
      ["list", "findings.amoskys.io"], // analytics' business
      ["list", "detectionrules.amoskys.io"],
      ["create", "pods"],
      ["create", "clusterroles.rbac.authorization.k8s.io"],
    ] as const) {
      assert.equal(await canI(verb, res), false, `${verb} ${res} must be denied`);
    }
  });

  it("lets it manage collector workloads and their config, and Leases only in its own namespace", async () => {
    for (const res of [
      "deployments.apps",
      "daemonsets.apps",
      "statefulsets.apps",
      "configmaps",
      "secrets",
      "serviceaccounts",
      "services",
    ]) {
      assert.equal(await canI("create", res), true, `create ${res}`);
      assert.equal(await canI("delete", res), true, `delete ${res}`);
    }
    assert.equal(await canI("update", "leases.coordination.k8s.io", NS), true);
    assert.equal(await canI("update", "leases.coordination.k8s.io", "default"), false);
    assert.equal(await canI("delete", "leases.coordination.k8s.io", NS), false);
  });

  it("with nats.secret: passes --nats-secret and may read exactly that Secret", async () => {
    const withSecret = await helm(
      "template",
      "amoskys",
      chart,
      "-n",
      NS,
      "--set",
      "nats.secret=amoskys-nats",
      "--kube-version",
      KUBERNETES_VERSION,
    );
    const docs = parseAllDocuments(withSecret)
      .map((d) => d.toJSON())
      .filter(Boolean);
    const find = (kind: string, name: string) =>
      docs.find(
        (o: { kind: string; metadata: { name: string } }) =>
          o.kind === kind && o.metadata.name === name,
      );
    const args = find("Deployment", "amoskys-operator").spec.template.spec.containers[0].args;
    assert.ok(args.includes("--nats-secret=amoskys-nats"), String(args));
    assert.equal(
      parseAllDocuments(rendered).some((d) => JSON.stringify(d.toJSON()).includes("nats-secret")),
      false,
      "without the value: no flag, no Role",
    );
    const role = find("Role", "amoskys-operator-nats-secret");
    assert.equal(role.metadata.namespace, NS);
    assert.deepEqual(role.rules, [
      {
        apiGroups: [""],
        resources: ["secrets"],
        resourceNames: ["amoskys-nats"],
        verbs: ["get", "list", "watch"],
      },
    ]);
    const file = join(env.root, "rendered-nats.yaml");
    await writeFile(file, withSecret);
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", file);
    // The informer lists and watches it by name (a metadata.name field selector).
    for (const verb of ["get", "list", "watch"]) {
      assert.equal(
        await kubectl(asOperator, "auth", "can-i", verb, "secrets/amoskys-nats", "-n", NS),
        "yes",
        `${verb} the NATS Secret`,
      );
    }
    // The copies in the profiles' namespaces: server-side apply (create or patch).
    for (const verb of ["create", "patch"]) {
      assert.equal(await canI(verb, "secrets", "plant-1"), true, `${verb} secrets`);
    }
  });

  // ---- lint, values files, schema, required values

  for (const values of ["values.yaml", "values-edge.yaml"]) {
    it(`lints --strict and renders with ${values}`, async () => {
      const file = join(chart, values);
      const out = await helm(
        "lint",
        "--strict",
        chart,
        "-f",
        file,
        "--kube-version",
        KUBERNETES_VERSION,
      );
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(out, /\[(WARNING|ERROR)\]/);
      const objs = objects(await template("amoskys", NS, "-f", file));
      assert.ok(find(objs, "Deployment", "amoskys-operator"));
    });
  }

  it("values-edge.yaml: one operator replica (no PDB), every workload on arm64, small resources", async () => {
    const objs = objects(await template("amoskys", NS, "-f", join(chart, "values-edge.yaml")));
    const op = find(objs, "Deployment", "amoskys-operator");
    assert.equal(op.spec.replicas, 1);
    assert.equal(objs.filter((o) => o.kind === "PodDisruptionBudget").length, 0);
    for (const name of ["amoskys-operator", "amoskys-analytics"]) {
      const pod = find(objs, "Deployment", name).spec.template.spec;
      assert.deepEqual(pod.nodeSelector, { "kubernetes.io/arch": "arm64" }, name);
    }
    assert.equal(op.spec.template.spec.containers[0].resources.limits.memory, "160Mi");
  });

  it("the schema rejects a wrong type, an unknown value and a bad Secret name", async () => {
    for (const [set, message] of [
      ["operator.replicas=two", /\/operator\/replicas.*got string, want integer/],
      ["image.pullPolicy=Sometimes", /\/image\/pullPolicy.*must be one of/],
      ["operator.metricsPort=99999", /\/operator\/metricsPort/],
      ["nats.secret=Not_A_Name", /\/nats\/secret.*does not match pattern/],
      ["serviceMonitor.enabled=yes", /\/serviceMonitor\/enabled.*want boolean/],
      ["operator.replicsa=2", /additional properties 'replicsa' not allowed/],
    ] as const) {
      assert.match(await helmFails("template", "amoskys", chart, "--set", set), message, set);
      // helm install checks the same schema before it talks to a cluster.
      assert.match(
        await liveHelmFails("amoskys-schema", "install", "amoskys", chart, "--set", set),
        message,
        `install ${set}`,
      );
    }
    assert.match(
      await helmFails("template", "amoskys", chart, "--set-json", 'operator.tolerations={"a":1}'),
      /\/operator\/tolerations.*want array/,
    );
  });

  it("fails with a clear message when a required value is empty", async () => {
    for (const [set, message] of [
      ["nats.url=", /nats\.url is required/],
      ["image.repository=", /image\.repository is required/],
      ["analytics.natsUser=", /analytics\.natsUser is required/],
      [
        "analytics.credentialsSecret=",
        /analytics\.credentialsSecret is required: .*password.*ca\.crt/,
      ],
      ["analytics.postgres.secret=", /analytics\.postgres\.secret is required: .*url/],
      ["analytics.api.tlsSecret=", /analytics\.api\.tlsSecret is required/],
    ] as const) {
      const err = await helmFails(
        "template",
        "amoskys",
        chart,
        "--kube-version",
        KUBERNETES_VERSION,
        "--set",
        set,
      );
      assert.match(err, message, set);
    }
    // Without analytics its values are not needed.
    await template(
      "amoskys",
      NS,
      "--set",
      "analytics.enabled=false",
      "--set",
      "analytics.natsUser=",
    );
  });

  // ---- names, labels, scheduling

  it("labels every object with the release, and selects pods by name and instance", () => {
    for (const o of objects(rendered)) {
      if (o.kind === "CustomResourceDefinition") continue;
      assert.equal(
        o.metadata.labels?.["app.kubernetes.io/instance"],
        "amoskys",
        `${o.kind}/${o.metadata.name}`,
      );
      assert.equal(o.metadata.labels?.["app.kubernetes.io/part-of"], "amoskys");
    }
    const objs = objects(rendered);
    for (const name of ["amoskys-operator", "amoskys-analytics"]) {
      const d = find(objs, "Deployment", name);
      const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "amoskys" };
      assert.deepEqual(d.spec.selector.matchLabels, selector);
      for (const [k, v] of Object.entries(selector))
        assert.equal(d.spec.template.metadata.labels[k], v);
    }
    assert.deepEqual(find(objs, "Service", "amoskys-operator-metrics").spec.selector, {
      "app.kubernetes.io/name": "amoskys-operator",
      "app.kubernetes.io/instance": "amoskys",
    });
    const pdb = find(objs, "PodDisruptionBudget", "amoskys-operator");
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(
      pdb.spec.selector.matchLabels,
      find(objs, "Deployment", "amoskys-operator").spec.selector.matchLabels,
    );
  });

  it("derives names from the release (helm create's rule) and keeps amoskys-* for the release amoskys", async () => {
    const names = async (release: string, ...args: string[]) =>
      objects(await template(release, "x", ...args))
        .filter((o) => o.kind === "Deployment")
        .map((o) => o.metadata.name)
        .sort();
    assert.deepEqual(await names("amoskys"), ["amoskys-analytics", "amoskys-operator"]);
    assert.deepEqual(await names("plant"), ["plant-amoskys-analytics", "plant-amoskys-operator"]);
    assert.deepEqual(await names("amoskys-edge"), [
      "amoskys-edge-analytics",
      "amoskys-edge-operator",
    ]);
    assert.deepEqual(await names("plant", "--set", "fullnameOverride=ot"), [
      "ot-analytics",
      "ot-operator",
    ]);
    // The PDB needs a standby: none with one replica.
    const one = objects(await template("amoskys", NS, "--set", "operator.replicas=1"));
    assert.equal(one.filter((o) => o.kind === "PodDisruptionBudget").length, 0);
  });

  it("puts the scheduling and pull values into every workload's pods", async () => {
    const values = {
      nodeSelector: { "node-role.kubernetes.io/edge": "" },
      tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
            ],
          },
        },
      },
      imagePullSecrets: [{ name: "regcred" }],
      podAnnotations: { "example.com/team": "ot" },
      podLabels: { team: "ot", "app.kubernetes.io/name": "cannot-replace" },
      priorityClassName: "system-cluster-critical",
    };
    const file = join(env.root, "scheduling.yaml");
    await writeFile(file, stringify({ operator: values, analytics: values }));
    const out = await template("amoskys", NS, "-f", file);
    const objs = objects(out);
    for (const name of ["amoskys-operator", "amoskys-analytics"]) {
      const t = find(objs, "Deployment", name).spec.template;
      assert.deepEqual(t.spec.nodeSelector, values.nodeSelector, name);
      assert.deepEqual(t.spec.tolerations, values.tolerations, name);
      assert.deepEqual(t.spec.affinity, values.affinity, name);
      assert.deepEqual(t.spec.imagePullSecrets, values.imagePullSecrets, name);
      assert.equal(t.spec.priorityClassName, values.priorityClassName, name);
      assert.deepEqual(t.metadata.annotations, values.podAnnotations, name);
      assert.equal(t.metadata.labels.team, "ot", name);
      assert.equal(
        t.metadata.labels["app.kubernetes.io/name"],
        name,
        "podLabels cannot replace the selector's",
      );
    }
    // The apiserver takes them (the PriorityClass is a built-in one).
    const ns = "amoskys-scheduling";
    await kubectl(env.kube.kubeconfig, "create", "namespace", ns);
    const inNs = join(env.root, "scheduling-rendered.yaml");
    await writeFile(inNs, await template("amoskys-scheduling", ns, "-f", file));
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "--dry-run=server", "-f", inNs);
  });

  it("installs a second release in another namespace beside the first", async () => {
    const ns2 = "amoskys-edge";
    const second = await template(
      "edge",
      ns2,
      "-f",
      join(chart, "values-edge.yaml"),
      "--set",
      "operator.watchNamespace=plant-2",
    );
    const first = objects(rendered);
    const objs2 = objects(second).filter((o) => o.kind !== "CustomResourceDefinition");
    const clusterNames = (objs: Obj[]) =>
      objs
        .filter((o) => CLUSTER_SCOPED.has(o.kind) && o.kind !== "CustomResourceDefinition")
        .map((o) => `${o.kind}/${o.metadata.name}`);
    const taken = new Set(clusterNames(first));
    assert.ok(clusterNames(objs2).length >= 5);
    for (const n of clusterNames(objs2))
      assert.ok(!taken.has(n), `${n} is also the first release's`);
    for (const o of objs2) {
      if (!CLUSTER_SCOPED.has(o.kind))
        assert.equal(o.metadata.namespace, ns2, `${o.kind}/${o.metadata.name}`);
      assert.equal(o.metadata.labels?.["app.kubernetes.io/instance"], "edge");
    }
    await kubectl(env.kube.kubeconfig, "create", "namespace", ns2);
    const file = join(env.root, "rendered-edge.yaml");
    await writeFile(file, second);
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", file);
    // Each release's bindings name its own ServiceAccount, and the first's are untouched.
    const subjects = async (name: string) =>
      JSON.parse(
        await kubectl(env.kube.kubeconfig, "get", "clusterrolebinding", name, "-o", "json"),
      ).subjects;
    assert.deepEqual(await subjects("amoskys-operator"), [
      { kind: "ServiceAccount", name: "amoskys-operator", namespace: NS },
    ]);
    assert.deepEqual(await subjects("edge-amoskys-operator"), [
      { kind: "ServiceAccount", name: "edge-amoskys-operator", namespace: ns2 },
    ]);
    const edgeOperator = await env.kube.mintKubeconfig(
      `system:serviceaccount:${ns2}:edge-amoskys-operator`,
      ["system:serviceaccounts", `system:serviceaccounts:${ns2}`],
    );
    assert.equal(
      await kubectl(
        edgeOperator,
        "auth",
        "can-i",
        "watch",
        "collectorprofiles.amoskys.io",
        "-n",
        "plant-2",
      ),
      "yes",
    );
    assert.equal(
      await kubectl(
        edgeOperator,
        "auth",
        "can-i",
        "update",
        "leases.coordination.k8s.io",
        "-n",
        ns2,
      ),
      "yes",
    );
    assert.equal(
      await canI("update", "leases.coordination.k8s.io", ns2),
      false,
      "the first operator's Lease Role stays in its namespace",
    );
  });

  // ---- preflight and NOTES, with a real helm install

  it("helm install fails naming the missing Secrets and keys, then installs and says what to do next", async () => {
    const ns = "amoskys-preflight";
    await kubectl(env.kube.kubeconfig, "create", "namespace", ns);
    const install = ["install", "preflight", chart, "--set", "nats.secret=collectors-nats"];
    const failure = () => liveHelmFails(ns, ...install);
    let err = await failure();
    assert.match(err, new RegExp(`the release needs these Secrets in namespace ${ns}`));
    for (const s of [
      "amoskys-analytics-nats",
      "amoskys-analytics-postgres",
      "amoskys-analytics-tls",
      "collectors-nats",
    ])
      assert.match(err, new RegExp(`Secret ${s} \\(.*\\) not found`), s);
    // helm template cannot see the cluster: no check, no failure.
    await helm(
      "template",
      "preflight",
      chart,
      "-n",
      ns,
      "--kube-version",
      KUBERNETES_VERSION,
      "--set",
      "nats.secret=collectors-nats",
    );

    const secret = (name: string, data: Record<string, string>, type = "Opaque") =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        type,
        metadata: { name, namespace: ns },
        data: Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
        ),
      });
    const put = async (...json: string[]) => {
      const f = join(env.root, "preflight-secrets.json");
      await writeFile(
        f,
        JSON.stringify({ apiVersion: "v1", kind: "List", items: json.map((j) => JSON.parse(j)) }),
      );
      await kubectl(env.kube.kubeconfig, "apply", "--server-side", "--force-conflicts", "-f", f);
    };
    await put(
      secret("amoskys-analytics-nats", { "ca.crt": "ca" }),
      secret("amoskys-analytics-postgres", { url: "postgresql://db/amoskys", "ca.crt": "ca" }),
      secret("amoskys-analytics-tls", { "tls.crt": "crt", "tls.key": "key" }, "kubernetes.io/tls"),
      secret("collectors-nats", { "ca.crt": "ca", username: "collector" }),
    );
    err = await failure();
    assert.match(err, /Secret amoskys-analytics-nats \(.*\) lacks keys password/);
    assert.match(
      err,
      /Secret collectors-nats \(.*\) lacks keys username \+ password or tls\.crt \+ tls\.key/,
    );
    assert.doesNotMatch(err, /amoskys-analytics-postgres|amoskys-analytics-tls/);

    await put(
      secret("amoskys-analytics-nats", { "ca.crt": "ca", password: "pw" }),
      secret("collectors-nats", { "ca.crt": "ca", "tls.crt": "crt", "tls.key": "key" }),
    );
    const { stdout } = await liveHelm(ns, ...install);
    assert.match(stdout, /STATUS: deployed/);
    for (const line of [
      "kubectl apply -f examples/devices/ -f examples/profiles/",
      "kubectl get findings -A",
      "kubectl get devices,collectorprofiles -A",
      "- amoskys-analytics-nats:",
      "- amoskys-analytics-postgres:",
      "- amoskys-analytics-tls:",
      "- collectors-nats:",
      "kubectl apply --server-side -f helm/amoskys/crds/",
    ])
      assert.ok(stdout.includes(line), `NOTES lack ${line}:\n${stdout}`);
    assert.equal(
      await kubectl(
        env.kube.kubeconfig,
        "get",
        "deployment",
        "preflight-amoskys-operator",
        "-n",
        ns,
        "-o",
        "jsonpath={.metadata.labels.app\\.kubernetes\\.io/instance}",
      ),
      "preflight",
    );
  });

  // ---- Prometheus Operator objects, alerts, dashboard

  it("applies the ServiceMonitors, PodMonitor, PrometheusRule and dashboard against the real Prometheus Operator CRDs", async () => {
    const crdDir = await prometheusOperatorCrdDir(env.root);
    for (const plural of ["servicemonitors", "podmonitors", "prometheusrules"]) {
      await kubectl(
        env.kube.kubeconfig,
        "apply",
        "--server-side",
        "-f",
        join(crdDir, `monitoring.coreos.com_${plural}.yaml`),
      );
    }
    await kubectl(
      env.kube.kubeconfig,
      "wait",
      "--for=condition=Established",
      "--timeout=60s",
      "crd/servicemonitors.monitoring.coreos.com",
      "crd/podmonitors.monitoring.coreos.com",
      "crd/prometheusrules.monitoring.coreos.com",
    );
    const out = await template(
      "amoskys",
      NS,
      "--set",
      "serviceMonitor.enabled=true",
      "--set",
      "serviceMonitor.labels.release=prometheus",
      "--set",
      "prometheusRule.enabled=true",
      "--set",
      "dashboards.enabled=true",
    );
    const objs = objects(out);
    const monitoring = objs
      .filter((o) => o.apiVersion === "monitoring.coreos.com/v1")
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    assert.deepEqual(monitoring, [
      "PodMonitor/amoskys-collectors",
      "PrometheusRule/amoskys",
      "ServiceMonitor/amoskys-analytics",
      "ServiceMonitor/amoskys-operator",
    ]);
    // Each ServiceMonitor selects exactly its component's Service, on a port that Service has.
    const services = objs.filter((o) => o.kind === "Service");
    for (const name of ["amoskys-operator", "amoskys-analytics"]) {
      const sm = find(objs, "ServiceMonitor", name);
      assert.equal(sm.metadata.labels?.release, "prometheus");
      const matching = services.filter((s) =>
        Object.entries(sm.spec.selector.matchLabels as Record<string, string>).every(
          ([k, v]) => s.metadata.labels?.[k] === v,
        ),
      );
      assert.equal(matching.length, 1, name);
      assert.ok(
        matching[0]?.spec.ports.some((p: { name: string }) => p.name === sm.spec.endpoints[0].port),
      );
    }
    // The PodMonitor selects the collector pods the operator builds, on their ops port.
    const pm = find(objs, "PodMonitor", "amoskys-collectors");
    const { ownedLabels, COLLECTOR_COMPONENT } = await import("../operator/manifests/names.ts");
    const podLabels = ownedLabels("edge", COLLECTOR_COMPONENT);
    for (const [k, v] of Object.entries(pm.spec.selector.matchLabels as Record<string, string>))
      assert.equal(podLabels[k], v, k);
    assert.equal(pm.spec.podMetricsEndpoints[0].port, "ops");
    const cm = find(objs, "ConfigMap", "amoskys-dashboard");
    assert.equal(cm.metadata.labels?.grafana_dashboard, "1");
    assert.deepEqual(
      JSON.parse(cm.data["amoskys.json"]),
      JSON.parse(await readFile(join(chart, "dashboards/amoskys.json"), "utf8")),
    );

    const file = join(env.root, "rendered-monitoring.yaml");
    await writeFile(file, out);
    // Strict field validation: an unknown field in a monitor is an error, not dropped.
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "--validate=strict", "-f", file);
    const rule = JSON.parse(
      await kubectl(
        env.kube.kubeconfig,
        "get",
        "prometheusrule",
        "amoskys",
        "-n",
        NS,
        "-o",
        "json",
      ),
    );
    assert.equal(rule.spec.groups[0].rules.length, 6);
    // And the CRDs do reject what is wrong.
    const bad = join(env.root, "bad-monitor.yaml");
    const sm = find(objs, "ServiceMonitor", "amoskys-operator");
    await writeFile(
      bad,
      stringify({
        ...sm,
        metadata: { ...sm.metadata, name: "bad" },
        spec: { ...sm.spec, endpoints: [{ port: "metrics", interval: "soon" }] },
      }),
    );
    await assert.rejects(kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", bad));
  });

  it("the alerting rules pass promtool check rules and promtool test rules", async () => {
    const rule = await renderedRule();
    const dir = await mkdtemp(join(env.root, "promtool-"));
    const rules = join(dir, "amoskys.rules.yaml");
    await writeFile(rules, stringify(rule.spec));
    const check = await exec(bin("promtool"), ["check", "rules", rules]);
    assert.match(check.stdout, /SUCCESS: 6 rules found/);
    await copyFile(join(import.meta.dirname, "rules.test.yaml"), join(dir, "rules.test.yaml"));
    const tests = parse(await readFile(join(dir, "rules.test.yaml"), "utf8"));
    const tested = new Set(
      tests.tests.flatMap(
        (t: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }) =>
          t.alert_rule_test.filter((a) => a.exp_alerts.length).map((a) => a.alertname),
      ),
    );
    assert.deepEqual(
      [...tested].sort(),
      rule.spec.groups[0].rules.map((r: { alert: string }) => r.alert).sort(),
      "every alert has a test that fires it",
    );
    const run = await exec(bin("promtool"), ["test", "rules", "rules.test.yaml"], { cwd: dir });
    assert.match(run.stdout + run.stderr, /SUCCESS/);
  });

  it("every metric in the dashboard and the alerts is one the components export", async () => {
    const exported = await exportedMetrics();
    // The parse finds the declarations of each style and the process metrics.
    for (const m of [
      "amoskys_operator_leader_is_leader",
      "amoskys_operator_reconcile_duration_seconds_bucket",
      "amoskys_agent_outbox_dropped_batches_total",
      "amoskys_analytics_rejected_batches_total",
      "amoskys_analytics_detection_states",
      "amoskys_operator_process_resident_memory_bytes",
    ])
      assert.ok(exported.has(m), m);
    assert.ok(
      !exported.has("amoskys_operator_reconcile_duration_seconds"),
      "a histogram exports only its series",
    );
    // The extraction sees through functions, grouping and matchers, and catches names from elsewhere.
    assert.deepEqual(
      promqlMetrics(
        'sum by (le) (rate(up{job="x"}[5m])) / on (pod) group_left kube_pod_info offset 1h',
      ),
      ["up", "kube_pod_info"],
    );

    const dashboard = JSON.parse(await readFile(join(chart, "dashboards/amoskys.json"), "utf8"));
    type Panel = { title: string; targets?: { expr: string }[]; panels?: Panel[] };
    const exprs: [string, string][] = [];
    const walk = (ps: Panel[]) => {
      for (const p of ps) {
        for (const t of p.targets ?? []) exprs.push([`panel ${p.title}`, t.expr]);
        walk(p.panels ?? []);
      }
    };
    walk(dashboard.panels);
    assert.ok(exprs.length >= 20);
    const used: [string, string][] = exprs.flatMap(([where, e]) => {
      const ms = promqlMetrics(e);
      assert.ok(ms.length, `${where}: no metric in ${e}`);
      return ms.map((m): [string, string] => [where, m]);
    });
    for (const v of dashboard.templating.list as {
      name: string;
      type: string;
      query?: { query: string };
    }[]) {
      if (v.type === "query" && v.query)
        used.push(
          ...variableMetrics(v.query.query).map((m): [string, string] => [`variable ${v.name}`, m]),
        );
    }
    const rule = await renderedRule();
    for (const r of rule.spec.groups.flatMap((g: { rules: unknown[] }) => g.rules) as {
      alert: string;
      expr: string;
    }[])
      used.push(...promqlMetrics(r.expr).map((m): [string, string] => [`alert ${r.alert}`, m]));
    const unknown = used.filter(([, m]) => !exported.has(m)).map(([w, m]) => `${w}: ${m}`);
    assert.deepEqual(unknown, [], "metrics no component exports");
  });

  it("packages without TypeScript, tests or the CRD folder's README", async () => {
    const dir = await mkdtemp(join(env.root, "package-"));
    await helm("package", chart, "-d", dir);
    const tgz = (await readdir(dir)).find((f) => f.endsWith(".tgz"));
    assert.ok(tgz, "no chart archive");
    const files = (await exec("tar", ["tzf", join(dir, tgz)])).stdout.trim().split("\n");
    const bad = files.filter((f) => /\.ts$|\.test\.|crds\/README\.md$|\.swp$|~$/.test(f));
    assert.deepEqual(bad, []);
    for (const f of [
      "amoskys/Chart.yaml",
      "amoskys/values.yaml",
      "amoskys/values.schema.json",
      "amoskys/values-edge.yaml",
      "amoskys/README.md",
      "amoskys/templates/NOTES.txt",
      "amoskys/dashboards/amoskys.json",
      "amoskys/crds/amoskys.io_devices.yaml",
    ])
      assert.ok(files.includes(f), `${f} not packaged: ${files.join(", ")}`);
    // What the repository's crds/ holds besides the YAML is what .helmignore keeps out.
    const crdFiles = await readdir(join(repoRoot, "crds"));
    assert.ok(
      crdFiles.some((f) => f.endsWith(".ts")),
      "crds/ has TypeScript (the test would prove nothing)",
    );
  });
});
