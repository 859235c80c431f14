// PostgreSQL 15 from Debian: initdb into a temp folder, TLS-only TCP on
// loopback with SCRAM passwords, run as the postgres user in the foreground
// (not pg_ctl, which would daemonise it out of our process group).
import { randomBytes } from "node:crypto";
import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EnvContext, giveTo, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { run, runAs, type Service, startService, waitReady } from "../proc.ts";
import { PG_BIN } from "../toolchain.ts";

export interface PostgresEnv {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** CA file that verifies the server certificate (connect with sslmode=verify-full). */
  ca: string;
  /** postgresql://user:password@<host>:port/database?sslmode=verify-full */
  url: string;
  services: Service[];
}

export async function startPostgres(ctx: EnvContext): Promise<PostgresEnv> {
  const dir = await serviceDir(ctx, "postgres", "postgres");
  const data = join(dir, "data");
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const pwfile = join(dir, "pwfile");
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  await giveTo("postgres", pwfile);
  await runAs(
    "postgres",
    join(PG_BIN, "initdb"),
    [
      `--pgdata=${data}`,
      "--username=amoskys",
      `--pwfile=${pwfile}`,
      "--auth-local=scram-sha-256",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-sync",
    ],
    { cwd: dir },
  );

  // TLS: the server key must belong to the server's user and be private.
  const tls = await ctx.ca.issue({
    file: "postgres-server",
    cn: "postgres",
    dns: ["localhost"],
    ips: [ctx.host],
    usage: "server",
  });
  const crt = join(data, "server.crt");
  const key = join(data, "server.key");
  await copyFile(tls.cert, crt);
  await copyFile(tls.key, key);
  await giveTo("postgres", crt, key);
  // Only TLS connections from the host (and the pods); no cleartext host lines at all.
  const from = ctx.podNetwork ?? `${ctx.host}/32`;
  await writeFile(
    join(data, "pg_hba.conf"),
    `local all all scram-sha-256\nhostssl all all ${from} scram-sha-256\n`,
  );

  const svc = startService({
    name: "postgres",
    command: join(PG_BIN, "postgres"),
    args: [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      `listen_addresses=${ctx.host}`,
      "-c",
      "ssl=on",
      "-c",
      `ssl_cert_file=${crt}`,
      "-c",
      `ssl_key_file=${key}`,
      "-c",
      "fsync=off", // test data only
      "-c",
      "max_connections=200",
    ],
    user: "postgres",
    stopSignal: "SIGINT", // fast shutdown
    logFile: join(dir, "postgres.log"),
  });
  const isReady = () => run(join(PG_BIN, "pg_isready"), ["-h", ctx.host, "-p", String(port)]);
  await waitReady(svc, () => isReady().then(() => true));
  const database = "amoskys";
  await run(
    join(PG_BIN, "createdb"),
    ["-h", ctx.host, "-p", String(port), "-U", "amoskys", database],
    {
      env: {
        ...process.env,
        PGPASSWORD: password,
        PGSSLMODE: "verify-full",
        PGSSLROOTCERT: ctx.ca.cert,
      },
    },
  );
  return {
    host: ctx.host,
    port,
    user: "amoskys",
    password,
    database,
    ca: ctx.ca.cert,
    url: `postgresql://amoskys:${password}@${ctx.host}:${port}/${database}?sslmode=verify-full`,
    services: [svc],
  };
}
