// Free loopback ports. The kernel picks them; we remember what we handed out so
// two services of one run never get the same port.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";

const handedOut = new Set<number>();

function tcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject()));
    });
  });
}

function udpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = createSocket("udp4");
    sock.once("error", reject);
    sock.bind(0, "127.0.0.1", () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/** A port on 127.0.0.1 that is free for `proto` right now. */
export async function freePort(proto: "tcp" | "udp" = "tcp"): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = proto === "tcp" ? await tcpPort() : await udpPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port found");
}
