// `amoskys analytics` as the tests and the benchmark run it: the flags that
// connect it to an e2e/env environment (NATS user "analytics" with TLS,
// Postgres with TLS, the apiserver through `kubeconfig`), metrics on a free
// loopback port. The NATS password goes into a 0600 file, as from a Secret.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

interface AnalyticsEnv {
  root: string;
  nats: { url: string; ca: string; users: Record<string, string | undefined> };
  postgres: { url: string; ca: string };
}

/** The `analytics` subcommand and its connection flags (without the CLI path). */
export async function analyticsArgs(
  env: AnalyticsEnv,
  kubeconfig: string,
  operatorNamespace: string,
): Promise<string[]> {
  const passwordFile = join(env.root, "analytics-nats-password");
  await writeFile(passwordFile, env.nats.users.analytics ?? "", { mode: 0o600 });
  return [
    "analytics",
    `--kubeconfig=${kubeconfig}`,
    `--operator-namespace=${operatorNamespace}`,
    `--nats-url=${env.nats.url}`,
    "--nats-user=analytics",
    `--nats-password-file=${passwordFile}`,
    `--nats-ca-file=${env.nats.ca}`,
    `--postgres-url=${env.postgres.url}`,
    `--postgres-ca-file=${env.postgres.ca}`,
    "--metrics-host=127.0.0.1",
    "--metrics-port=0",
  ];
}
