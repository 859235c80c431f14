// rsyslogd as a peer for tests and the benchmark: a private instance (never the
// system one) in its own folder, run as nobody through the repo's supervised
// process helpers, so it is killed with the test.
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { giveTo } from "../../../e2e/env/context.ts";
import { freePort } from "../../../e2e/env/ports.ts";
import {
  removeOnInterrupt,
  run,
  type Service,
  startService,
  waitReady,
} from "../../../e2e/env/proc.ts";

export interface Rsyslog {
  dir: string;
  service: Service;
  stop(): Promise<void>;
}

/**
 * Starts `rsyslogd -n` with `conf` (lines; "$D" is replaced by its folder).
 * `ready` says when it is up (a socket exists, a probe arrived, …).
 */
export async function startRsyslog(
  conf: string[],
  ready: (dir: string) => Promise<boolean>,
): Promise<Rsyslog> {
  const root = await mkdtemp(join(tmpdir(), "amoskys-rsyslog-"));
  const forget = removeOnInterrupt(root);
  await chmod(root, 0o755); // nobody must reach its folder inside
  const dir = join(root, "rsyslog");
  await mkdir(join(dir, "work"), { recursive: true });
  const confFile = join(dir, "rsyslog.conf");
  await writeFile(confFile, `${conf.map((l) => l.replaceAll("$D", dir)).join("\n")}\n`);
  await giveTo("nobody", dir, join(dir, "work"), confFile);
  try {
    await run("rsyslogd", ["-N1", "-f", confFile]); // rejects a bad config with its message
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    forget();
    throw err;
  }
  const service = startService({
    name: "rsyslogd",
    command: "rsyslogd",
    args: ["-n", "-f", confFile, "-i", join(dir, "rsyslogd.pid")],
    logFile: join(root, "rsyslogd.log"),
    user: "nobody",
  });
  const stop = async () => {
    // SIGTERM first and wait for the exit ourselves: Service.stop() leaves its
    // grace timer pending, which holds a test process open for the whole grace.
    if (service.isRunning()) {
      try {
        process.kill(-service.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const grace = new AbortController();
      await Promise.race([
        service.exited,
        sleep(5000, undefined, { signal: grace.signal }).catch(() => {}),
      ]);
      grace.abort();
    }
    await service.stop();
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
    forget();
  };
  try {
    await waitReady(service, () => ready(dir), 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, service, stop };
}

export const socketExists = (path: string) => async () => existsSync(path);

/** rsyslogd as the benchmarks' peer: UDP in, one line a message in a file, counted. */
export interface RsyslogUdpFile {
  port: number;
  pid: number;
  /** Lines counted so far (call `poll` to read what rsyslog appended since). */
  lines(): number;
  /** When `poll` last found new lines (ms since the epoch). */
  lastAt(): number;
  /** Reads what rsyslog appended to its file since the last call, counting lines. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts rsyslogd with imudp on a free loopback port (UDP receive buffer
 * `rcvbufSize` if given, else rsyslog's default) and omfile writing each
 * message as a line; ready, and counting from zero, once a probe datagram has
 * reached the file.
 */
export async function startRsyslogUdpFile(
  opts: { rcvbufSize?: number } = {},
): Promise<RsyslogUdpFile> {
  const port = await freePort("udp");
  const rcvbuf = opts.rcvbufSize === undefined ? "" : ` rcvbufSize="${opts.rcvbufSize}"`;
  const probe = createSocket("udp4");
  const r = await startRsyslog(
    [
      'global(workDirectory="$D/work")',
      'module(load="imudp")',
      `input(type="imudp" address="127.0.0.1" port="${port}"${rcvbuf})`,
      'action(type="omfile" file="$D/out.log" template="RSYSLOG_FileFormat")',
    ],
    async (dir) => {
      probe.send("<13>bench probe", port, "127.0.0.1");
      await sleep(50);
      try {
        const f = await open(join(dir, "out.log"));
        const { size } = await f.stat();
        await f.close();
        return size > 0;
      } catch {
        return false;
      }
    },
  ).finally(() => probe.close());
  const file = await open(join(r.dir, "out.log")).catch(async (err) => {
    await r.stop();
    throw err;
  });
  // Read only what is new each time.
  let offset = 0;
  let lines = 0;
  let lastAt = 0;
  const chunk = Buffer.alloc(1 << 20);
  const poll = async () => {
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      for (let i = 0; i < bytesRead; i++) if (chunk[i] === 0x0a) lines++;
      lastAt = Date.now();
    }
  };
  await sleep(200); // the readiness probes' last stragglers
  await poll();
  const base = lines;
  return {
    port,
    pid: r.service.pid,
    lines: () => lines - base,
    lastAt: () => lastAt,
    poll,
    async stop() {
      await file.close();
      await r.stop();
    },
  };
}
