// What a user does before and for `helm install` on the test cluster: the
// Secrets the chart's NOTES name (collectors' NATS login, analytics' NATS
// login, the Postgres URL, the API's serving certificate), then the install of
// helm/amoskys with the image the nodes imported.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { EnvWith } from "../env/index.ts";
import { bin, repoRoot } from "../env/toolchain.ts";
import { imageName } from "../image/build.ts";

const exec = promisify(execFile);

export type ReleaseEnv = EnvWith<{
  cluster: true;
  nats: { users: ["collector", "analytics"] };
  postgres: true;
}>;

/** kubectl as the cluster's admin (trimmed stdout), and `get … -o json` parsed. */
export function clusterKubectl(env: () => ReleaseEnv) {
  const kubectl = async (...args: string[]) =>
    (
      await exec(env().cluster.kubectl, ["--kubeconfig", env().cluster.kubeconfig, ...args], {
        maxBuffer: 32 << 20,
      })
    ).stdout.trim();
  const getJson = async (...args: string[]) =>
    JSON.parse(await kubectl("get", ...args, "-o", "json"));
  return { kubectl, getJson };
}

export async function createReleaseSecrets(
  kubectl: (...args: string[]) => Promise<string>,
  env: ReleaseEnv,
  ns: string,
): Promise<void> {
  await kubectl("create", "namespace", ns);
  const generic = (name: string, ...from: string[]) =>
    kubectl("create", "secret", "generic", name, "-n", ns, ...from);
  await generic(
    "amoskys-nats",
    `--from-file=ca.crt=${env.nats.ca}`,
    "--from-literal=username=collector",
    `--from-literal=password=${env.nats.users.collector}`,
  );
  await generic(
    "amoskys-analytics-nats",
    `--from-file=ca.crt=${env.nats.ca}`,
    `--from-literal=password=${env.nats.users.analytics}`,
  );
  await generic(
    "amoskys-analytics-postgres",
    `--from-file=ca.crt=${env.postgres.ca}`,
    `--from-literal=url=${env.postgres.url}`,
  );
  const tls = join(env.root, "api-tls");
  await exec("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-days", "2", "-subj", "/CN=amoskys-analytics", "-keyout", `${tls}.key`],
    ...["-out", `${tls}.crt`, "-addext", `subjectAltName=DNS:amoskys-analytics.${ns}.svc`],
  ]);
  await kubectl(
    "create",
    "secret",
    "tls",
    "amoskys-analytics-tls",
    "-n",
    ns,
    `--cert=${tls}.crt`,
    `--key=${tls}.key`,
  );
}

/** `helm install amoskys ./helm/amoskys --wait` with the imported image; `extra` adds flags. */
export async function helmInstall(env: ReleaseEnv, ns: string, extra: string[]): Promise<void> {
  const [repository, tag] = imageName().split(/:(?=[^:]+$)/) as [string, string];
  await exec(
    bin("helm"),
    [
      ...["install", "amoskys", join(repoRoot, "helm/amoskys"), "-n", ns],
      ...["--kubeconfig", env.cluster.kubeconfig, "--wait", "--timeout", "8m"],
      ...["--set", `image.repository=${repository}`, "--set", `image.tag=${tag}`],
      // No registry here: the nodes have the image imported.
      ...["--set", "image.pullPolicy=Never", "--set", `nats.url=${env.nats.url}`],
      ...["--set", "nats.secret=amoskys-nats"],
      ...extra,
    ],
    { maxBuffer: 16 << 20 },
  );
}
