// Test and benchmark support: publish with the real mosquitto_pub, subscribe
// with mosquitto_sub (the peer the benchmark compares against).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

export interface BrokerLogin {
  /** mqtt:// or mqtts:// */
  url: string;
  ca?: string;
  username?: string;
  password?: string;
}

/** The TLS login of the test environment's broker (startEnv({ mqtt: true }).mqtt). */
export function tlsLogin(m: {
  tlsUrl: string;
  ca: string;
  username: string;
  password: string;
}): BrokerLogin {
  return { url: m.tlsUrl, ca: m.ca, username: m.username, password: m.password };
}

export function clientArgs(b: BrokerLogin): string[] {
  const u = new URL(b.url);
  const args = ["-h", u.hostname, "-p", u.port];
  if (u.protocol === "mqtts:" && b.ca) args.push("--cafile", b.ca);
  if (b.username !== undefined) args.push("-u", b.username);
  if (b.password !== undefined) args.push("-P", b.password);
  return args;
}

function finished(child: ChildProcess, what: string): Promise<void> {
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${what} exited ${code ?? signal}: ${stderr.trim()}`)),
    );
  });
}

/** Publishes one message (any bytes) with mosquitto_pub and waits until it is sent. */
export function publish(
  b: BrokerLogin,
  topic: string,
  payload: Uint8Array | string,
  opts: { qos?: 0 | 1 | 2; retain?: boolean } = {},
): Promise<void> {
  const args = [...clientArgs(b), "-t", topic, "-q", String(opts.qos ?? 1), "-s"];
  if (opts.retain) args.push("-r");
  const child = spawn("mosquitto_pub", args, { stdio: ["pipe", "ignore", "pipe"] });
  const done = finished(child, "mosquitto_pub");
  child.stdin?.end(payload);
  return done;
}

/** Publishes each line as one message, from one mosquitto_pub process. */
export function publishLines(
  b: BrokerLogin,
  topic: string,
  lines: string[],
  qos: 0 | 1 | 2 = 1,
): Promise<void> {
  const child = spawn("mosquitto_pub", [...clientArgs(b), "-t", topic, "-q", String(qos), "-l"], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  const done = finished(child, "mosquitto_pub -l");
  child.stdin?.end(`${lines.join("\n")}\n`);
  return done;
}

/**
 * mosquitto_sub that exits after `count` messages, writing them to /dev/null.
 * `subscribed` resolves once the broker's log (`logFile`, log_type all) says
 * it sent this client its SUBACK.
 */
export function subscribeCount(
  b: BrokerLogin,
  topic: string,
  count: number,
  logFile: string,
  qos: 0 | 1 | 2 = 1,
): { subscribed: Promise<void>; done: Promise<void>; kill(): void } {
  const id = `amoskys-bench-sub-${randomBytes(4).toString("hex")}`;
  const child = spawn(
    "mosquitto_sub",
    [...clientArgs(b), "-i", id, "-t", topic, "-q", String(qos), "-C", String(count)],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const done = finished(child, "mosquitto_sub");
  done.catch(() => {});
  return {
    subscribed: waitForLine(logFile, `Sending SUBACK to ${id}`, 20_000),
    done,
    kill: () => child.kill("SIGKILL"),
  };
}

/** Polls a log file until it contains `needle`. */
export async function waitForLine(file: string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (text.includes(needle)) return;
    if (Date.now() > deadline) throw new Error(`${file}: no "${needle}" after ${timeoutMs} ms`);
    await sleep(20);
  }
}
