// UDP syslog load generator for bench.ts, run as its own process so it does
// not share an event loop with the listener it loads:
//   node blaster.ts <host> <port> <count>
// Prints "start <ms>" before the first datagram and "done <ms> <sent>" after the last.
import { createSocket } from "node:dgram";

/** The benchmark's message set: RFC 5424 and 3164, with and without structured data. */
export function benchMessage(i: number): Buffer {
  switch (i % 4) {
    case 0:
      return Buffer.from(
        `<34>1 2026-01-01T00:00:00.000Z gw-1 sshd 4242 LOGIN [meta@32473 seq="${i}"] Failed password for root from 10.0.0.${i % 250} port 22`,
      );
    case 1:
      return Buffer.from(
        `<86>Jan  1 00:00:00 gw-1 sshd[4242]: Accepted publickey for admin from 10.0.1.${i % 250}`,
      );
    case 2:
      return Buffer.from(`<165>1 2026-01-01T00:00:00.000Z plc-7 ctl - - - valve ${i} open`);
    default:
      return Buffer.from(`<13>Jan  1 00:00:00 gw-1 app: tick ${i}`);
  }
}

async function main(host: string, port: number, count: number): Promise<void> {
  const sock = createSocket("udp4");
  await new Promise<void>((res) => sock.bind(0, "127.0.0.1", () => res()));
  const send = (b: Buffer) => new Promise<void>((res) => sock.send(b, port, host, () => res()));
  process.stdout.write(`start ${Date.now()}\n`);
  const BATCH = 256;
  for (let i = 0; i < count; i += BATCH) {
    const sends: Promise<void>[] = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) sends.push(send(benchMessage(j)));
    await Promise.all(sends);
  }
  process.stdout.write(`done ${Date.now()} ${count}\n`);
  sock.close();
}

if (import.meta.main) {
  const [host = "127.0.0.1", port = "0", count = "0"] = process.argv.slice(2);
  await main(host, Number(port), Number(count));
}
