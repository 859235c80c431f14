// Supervised service processes. Three layers make sure nothing outlives a test:
// stop() (normal teardown), signal/exit handlers (Ctrl-C, test-runner kill),
// and the kernel's parent-death signal set by setpriv (our process SIGKILLed).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

export const run = promisify(execFile);

/** Runs a command to completion as a peer's system user (when we are root). */
export function runAs(
  user: ServiceSpec["user"],
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return run("setpriv", [...userArgs(user), "--", command, ...args], opts);
}

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this system user (only when we are root; peers like postgres refuse root). */
  user?: "nobody" | "postgres";
  /** Signal that asks for a clean shutdown (postgres: SIGINT = fast shutdown). */
  stopSignal?: NodeJS.Signals;
}

export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  isRunning(): boolean;
  logTail(lines?: number): string;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

/** Removes `dir` if this process is interrupted before its owner cleans up. */
export function removeOnInterrupt(dir: string): () => void {
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig); // the whole process group: services that fork die too
  } catch {
    // already gone
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const c of live) killGroup(c, "SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, async () => {
      const children = [...live];
      for (const c of children) killGroup(c, "SIGKILL");
      // Wait until Node has reaped them, so no zombie outlives us either.
      const gone = children.map(
        (c) =>
          new Promise((res) =>
            (c.exitCode ?? c.signalCode) !== null ? res(0) : c.once("exit", res),
          ),
      );
      await Promise.race([Promise.all(gone), sleep(3000)]);
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true, maxRetries: 5 });
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    });
  }
}

function userArgs(user: ServiceSpec["user"]): string[] {
  if (!user || process.getuid?.() !== 0) return [];
  const group = user === "nobody" ? "nogroup" : user;
  return [`--reuid=${user}`, `--regid=${group}`, "--clear-groups"];
}

export function startService(spec: ServiceSpec): Service {
  installHandlers();
  const fd = openSync(spec.logFile, "a");
  // setpriv sets PR_SET_PDEATHSIG after switching users, so the service is
  // SIGKILLed by the kernel if this process dies without running handlers.
  const child = spawn(
    "setpriv",
    ["--pdeathsig=KILL", ...userArgs(spec.user), "--", spec.command, ...spec.args],
    {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", fd, fd],
      detached: true, // own process group, so Ctrl-C reaches it only through us
    },
  );
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${spec.name}: could not spawn ${spec.command}`);
  live.add(child);
  const exited = new Promise<number | string>((res) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      res(code ?? signal ?? "unknown");
    });
    child.once("error", (err) => {
      live.delete(child);
      res(`spawn error: ${err.message}`);
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const logTail = (lines = 30) => {
    try {
      return readFileSync(spec.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };
  return {
    name: spec.name,
    pid: child.pid,
    logFile: spec.logFile,
    exited,
    isRunning,
    logTail,
    async stop(graceMs = 5000) {
      if (!isRunning()) return;
      killGroup(child, spec.stopSignal ?? "SIGTERM");
      // The grace timer is cancelled once the process exits, so it never keeps the caller alive.
      const grace = new AbortController();
      const timedOut = await Promise.race([
        exited.then(() => false),
        sleep(graceMs, true, { signal: grace.signal }).catch(() => false),
      ]);
      grace.abort();
      if (timedOut) killGroup(child, "SIGKILL");
      await exited;
      // The leader is gone; make sure no forked child of the group stays.
      killGroup(child, "SIGKILL");
    },
  };
}

export class ServiceStartError extends Error {
  override readonly name = "ServiceStartError";
  readonly service: string;
  readonly log: string;
  constructor(service: string, reason: string, log: string) {
    super(`${service}: ${reason}\n--- last log lines ---\n${log}`);
    this.service = service;
    this.log = log;
  }
}

/**
 * Polls `probe` until it returns true. Fails early, with the service log, if the
 * process exits; fails after `timeoutMs` otherwise.
 */
export async function waitReady(
  svc: Service,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    if (!svc.isRunning()) {
      throw new ServiceStartError(svc.name, `exited (${await svc.exited})`, svc.logTail());
    }
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      await svc.stop(1000);
      throw new ServiceStartError(
        svc.name,
        `not ready after ${timeoutMs} ms${lastError ? ` (last probe error: ${lastError})` : ""}`,
        svc.logTail(),
      );
    }
    await sleep(delay);
  }
}

/**
 * Processes of a process group that are still alive (zombies excluded), read
 * from /proc: how tests prove that nothing of a service is left behind.
 */
export function liveProcessesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after "(comm)": state ppid pgrp ...; comm may contain spaces.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") pids.push(Number(entry));
  }
  return pids;
}
