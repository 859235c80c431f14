// Peers for tests (this folder's and analytics/detect/posture.test.ts): a
// Mosquitto that admits anonymous clients, like a careless deployment
// (e2e/env's broker requires a password).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { giveTo } from "../../../e2e/env/context.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import { tcpOpen } from "../../../e2e/env/probe.ts";
import { type Service, startService, waitReady } from "../../../e2e/env/proc.ts";

/** Starts (or, on the same port and dir, restarts) an anonymous broker on 127.0.0.1:port. */
export async function anonymousBroker(port: number, root: string): Promise<Service> {
  const conf = join(root, "mosquitto.conf");
  const log = join(root, "mosquitto.log");
  await writeFile(log, "");
  await writeFile(
    conf,
    [
      "allow_anonymous true",
      "persistence false",
      `log_dest file ${log}`,
      `listener ${port} 127.0.0.1`,
      "",
    ].join("\n"),
  );
  await giveTo("nobody", root, log);
  const svc = startService({
    name: "mosquitto-anonymous",
    command: "/usr/sbin/mosquitto",
    args: ["-c", conf],
    user: "nobody",
    logFile: join(root, "stdout.log"),
  });
  await waitReady(svc, () => tcpOpen(port));
  return svc;
}

/** An anonymous broker on a free port in a new temp dir (the caller stops it and removes `root`). */
export async function startAnonymousBroker(): Promise<{
  port: number;
  svc: Service;
  root: string;
}> {
  const root = await mkdtemp(join(tmpdir(), "amoskys-mqtt-anon-"));
  const port = await freePort();
  return { port, svc: await anonymousBroker(port, root), root };
}
