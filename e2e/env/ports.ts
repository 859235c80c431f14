// Free loopback ports for the services a test starts. They come from below the
// kernel's ephemeral range: a port the kernel picked (bind to 0) is free only
// until the next client socket of a concurrent test (an SNMP poller, a NATS
// connection) is given the same number. We remember what we handed out so two
// services of one run never get the same port.

import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const handedOut = new Set<number>();

/** Ports [low, high) that the kernel never hands to a client socket. */
function range(): [number, number] {
  let ephemeralLow = 32768;
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/);
    if (Number(low) > 0) ephemeralLow = Number(low);
  } catch {
    // not Linux: keep the usual default
  }
  return [Math.max(10_000, ephemeralLow - 16_384), ephemeralLow];
}
const [LOW, HIGH] = range();

function bindable(proto: "tcp" | "udp", port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (proto === "tcp") {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    } else {
      const sock = createSocket("udp4");
      sock.once("error", () => {
        sock.close();
        resolve(false);
      });
      sock.bind(port, "127.0.0.1", () => sock.close(() => resolve(true)));
    }
  });
}

/** A port on 127.0.0.1 that is free for `proto` right now. */
export async function freePort(proto: "tcp" | "udp" = "tcp"): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await bindable(proto, port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free ${proto} port found in ${LOW}-${HIGH - 1}`);
}
