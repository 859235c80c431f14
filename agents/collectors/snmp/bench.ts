// Benchmark: devices polled per second by our poller vs a loop of net-snmp's
// snmpbulkget CLI, both against the same snmpsim recording, both with the
// same concurrency, in the same run. One "device poll" is sysUpTime plus a
// GETBULK of ifTable (ifDescr, ifInOctets, ifOutOctets).
//   npx node agents/collectors/snmp/bench.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startEnv } from "../../../e2e/env/index.ts";
import { memorySink, testContext } from "../../testing.ts";
import { createSnmpPoller } from "./poller.ts";
import { createSnmpScheduler } from "./scheduler.ts";
import { secretFile, snmpDevice } from "./testutil.ts";

const run = promisify(execFile);

export interface BenchOptions {
  /** Device polls per side (default 400). */
  devices?: number;
  /** Polls in flight at once, both sides (default 16). */
  concurrency?: number;
  /** snmpsim recording (community) to poll (default geist-temperature-sensor). */
  recording?: string;
}

export interface BenchResult {
  name: string;
  ours: number;
  peer: number;
  unit: string;
  ratio: number;
}

async function pool(n: number, concurrency: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await job(next++);
    }),
  );
}

export async function benchSnmp(opts: BenchOptions = {}): Promise<BenchResult> {
  const devices = opts.devices ?? 400;
  const concurrency = opts.concurrency ?? 16;
  const recording = opts.recording ?? "geist-temperature-sensor";
  const env = await startEnv({ snmp: true, verbose: false });
  try {
    const { host, port } = env.snmpsim;
    const communityFile = await secretFile(`bench-${recording}`, recording);
    const ctx = testContext(memorySink());
    const scheduler = createSnmpScheduler({ maxInFlight: concurrency });
    const pollers = Array.from({ length: devices }, (_, i) =>
      createSnmpPoller(
        snmpDevice(`bench-${i}`, host, {
          port,
          profiles: [],
          oids: [{ name: "sys.uptime", oid: "1.3.6.1.2.1.1.3.0", type: "gauge" }],
          tables: [
            {
              name: "if",
              baseOid: "1.3.6.1.2.1.2.2.1",
              columns: [
                { name: "descr", column: 2, type: "label" },
                { name: "in_octets", column: 10, type: "counter" },
                { name: "out_octets", column: 16, type: "counter" },
              ],
            },
          ],
          credentials: { communityFile },
        }),
        ctx,
        { scheduler },
      ),
    );
    let t0 = performance.now();
    const results = await Promise.all(pollers.map((p) => p.pollOnce()));
    const oursSeconds = (performance.now() - t0) / 1000;
    const failed = results.filter((r) => !r.reachable).length;
    if (failed) throw new Error(`bench: ${failed} of our polls failed`);

    const target = `${host}:${port}`;
    const cli = [
      "-v2c",
      "-c",
      recording,
      "-t",
      "5",
      "-r",
      "1",
      "-Cn1",
      "-Cr10",
      target,
      "1.3.6.1.2.1.1.3",
      "1.3.6.1.2.1.2.2.1.2",
      "1.3.6.1.2.1.2.2.1.10",
      "1.3.6.1.2.1.2.2.1.16",
    ];
    t0 = performance.now();
    await pool(devices, concurrency, () =>
      run("snmpbulkget", cli, { env: { ...process.env, MIBS: "" } }),
    );
    const peerSeconds = (performance.now() - t0) / 1000;
    const ours = devices / oursSeconds;
    const peer = devices / peerSeconds;
    return { name: "snmp-poll", ours, peer, unit: "devices/s", ratio: ours / peer };
  } finally {
    await env.stop();
  }
}

if (import.meta.main) {
  const r = await benchSnmp();
  console.log(
    `${r.name}: ours ${r.ours.toFixed(1)} ${r.unit}, snmpbulkget ${r.peer.toFixed(1)} ${r.unit}, ratio ${r.ratio.toFixed(2)}`,
  );
}
