// Mosquitto with two password-protected listeners: TLS, and plain TCP (the
// plain one exists so collectors and rules can see cleartext credentials).
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EnvContext, giveTo, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { tcpOpen } from "../probe.ts";
import { run, type Service, startService, waitReady } from "../proc.ts";

export interface MqttEnv {
  /** mqtts://127.0.0.1:<port>, verified with `ca`. */
  tlsUrl: string;
  /** mqtt://127.0.0.1:<port>, cleartext. */
  plainUrl: string;
  ca: string;
  username: string;
  password: string;
  /** The broker's log file (mosquitto buffers stdout, so it logs to a file). */
  logFile: string;
  services: Service[];
}

export async function startMqtt(ctx: EnvContext): Promise<MqttEnv> {
  const dir = await serviceDir(ctx, "mosquitto", "nobody");
  const [plainPort, tlsPort] = await Promise.all([freePort(), freePort()]);
  const tls = await ctx.ca.issue({
    file: "mosquitto-server",
    cn: "mosquitto",
    dns: ["localhost"],
    ips: ["127.0.0.1"],
    usage: "server",
  });
  const username = "amoskys";
  const password = randomBytes(12).toString("hex");
  const passwd = join(dir, "passwd");
  await writeFile(passwd, "");
  await run("mosquitto_passwd", ["-b", passwd, username, password]);
  // The broker runs as nobody and must read its key and password file.
  const key = join(dir, "server.key");
  await writeFile(key, await readFile(tls.key), { mode: 0o600 });
  const logFile = join(dir, "mosquitto.log");
  await writeFile(logFile, "");
  await giveTo("nobody", passwd, key, logFile);

  const conf = [
    "per_listener_settings false",
    "allow_anonymous false",
    `password_file ${passwd}`,
    "persistence false",
    `log_dest file ${logFile}`,
    "log_type all",
    `listener ${plainPort} 127.0.0.1`,
    `listener ${tlsPort} 127.0.0.1`,
    `cafile ${ctx.ca.cert}`,
    `certfile ${tls.cert}`,
    `keyfile ${key}`,
    "",
  ].join("\n");
  const confFile = join(dir, "mosquitto.conf");
  await writeFile(confFile, conf);
  const svc = startService({
    name: "mosquitto",
    command: "/usr/sbin/mosquitto",
    args: ["-c", confFile],
    user: "nobody",
    logFile: join(dir, "stdout.log"),
  });
  // Probe the plain port: a bare TCP probe of the TLS port logs an SSL error.
  await waitReady(svc, () => tcpOpen(plainPort));
  return {
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    plainUrl: `mqtt://127.0.0.1:${plainPort}`,
    ca: ctx.ca.cert,
    username,
    password,
    logFile,
    services: [svc],
  };
}
