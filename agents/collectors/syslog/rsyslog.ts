// rsyslogd as a peer for tests and the benchmark: a private instance (never the
// system one) in its own folder, run as nobody through the repo's supervised
// process helpers, so it is killed with the test.
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { giveTo } from "../../../e2e/env/context.ts";
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
