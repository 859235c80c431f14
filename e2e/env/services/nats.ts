// nats-server with JetStream, TLS on the client port, and one password per user
// in a JetStream-enabled account.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EnvContext, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { httpOk } from "../probe.ts";
import { type Service, startService, waitReady } from "../proc.ts";
import { bin, NATS_SERVER_VERSION } from "../toolchain.ts";

export interface NatsEnv {
  version: string;
  /** tls://<host>:<port> (127.0.0.1, or the cluster's bridge address) */
  url: string;
  /** CA file that verifies the server certificate. */
  ca: string;
  /** Account AMOSKYS (JetStream enabled): user name -> password. */
  users: Record<string, string>;
  /** Monitoring endpoint (plain HTTP on loopback): /healthz, /jsz, /varz. */
  monitorUrl: string;
  /** Stops the server, waits `downMs`, starts it again on the same port with the same JetStream store. */
  restart(downMs?: number): Promise<void>;
  services: Service[];
}

export interface NatsOptions {
  /** Users to create besides "admin". */
  users?: string[];
}

export async function startNats(ctx: EnvContext, opts: NatsOptions = {}): Promise<NatsEnv> {
  const dir = await serviceDir(ctx, "nats");
  const [port, monitorPort] = await Promise.all([freePort(), freePort()]);
  const tls = await ctx.ca.issue({
    file: "nats-server",
    cn: "nats-server",
    dns: ["localhost"],
    ips: [ctx.host],
    usage: "server",
  });
  const users: Record<string, string> = {};
  for (const u of ["admin", ...(opts.users ?? [])]) users[u] = randomBytes(12).toString("hex");
  const sysPassword = randomBytes(12).toString("hex");

  const q = JSON.stringify;
  const conf = `
server_name: amoskys-test
listen: ${q(`${ctx.host}:${port}`)}
http: ${q(`127.0.0.1:${monitorPort}`)}
max_payload: 8MB
jetstream {
  store_dir: ${q(join(dir, "js"))}
  max_memory_store: 256MB
  max_file_store: 4GB
}
tls {
  cert_file: ${q(tls.cert)}
  key_file: ${q(tls.key)}
  ca_file: ${q(ctx.ca.cert)}
  timeout: 5
}
accounts {
  AMOSKYS {
    jetstream: enabled
    users: [
${Object.entries(users)
  .map(([user, password]) => `      { user: ${q(user)}, password: ${q(password)} }`)
  .join("\n")}
    ]
  }
  SYS { users: [ { user: "sys", password: ${q(sysPassword)} } ] }
}
system_account: SYS
`;
  const confFile = join(dir, "nats.conf");
  await writeFile(confFile, conf, { mode: 0o600 });
  const spec = {
    name: "nats-server",
    command: bin("nats-server"),
    args: ["-c", confFile],
    logFile: join(dir, "nats.log"),
  };
  const svc = startService(spec);
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  await waitReady(svc, () => httpOk(`${monitorUrl}/healthz?js-enabled-only=true`));
  const services = [svc];
  return {
    version: NATS_SERVER_VERSION,
    url: `tls://${ctx.host}:${port}`,
    ca: ctx.ca.cert,
    users,
    monitorUrl,
    services,
    async restart(downMs = 0) {
      await services[0]?.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      const next = startService(spec);
      services[0] = next;
      await waitReady(next, () => httpOk(`${monitorUrl}/healthz?js-enabled-only=true`));
    },
  };
}
