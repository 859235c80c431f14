// What every service starter gets: its own folder, the environment's CA, and a
// way to hand files to the unprivileged user a peer runs as.
import { chown, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { CertificateAuthority } from "./pki.ts";
import { run } from "./proc.ts";

export interface EnvContext {
  root: string;
  ca: CertificateAuthority;
  /**
   * The address services listen on: 127.0.0.1, or, in an environment with a
   * cluster, the pod bridge's host address, which pods and the host both reach
   * and which listens on nothing but the run's own bridge.
   */
  host: string;
  /** With a cluster: the pod network (CIDR) that may connect, besides the host itself. */
  podNetwork?: string;
}

const ids: Record<string, [number, number]> = {};

async function idsOf(user: string): Promise<[number, number]> {
  if (ids[user]) return ids[user];
  const uid = Number((await run("id", ["-u", user])).stdout.trim());
  const gid = Number((await run("id", ["-g", user])).stdout.trim());
  ids[user] = [uid, gid];
  return ids[user];
}

/** Makes (and, when root, hands over) a service's own folder. */
export async function serviceDir(
  ctx: EnvContext,
  name: string,
  user?: "nobody" | "postgres",
): Promise<string> {
  const dir = join(ctx.root, name);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  if (user) await giveTo(user, dir);
  return dir;
}

/** chown to a peer's user when we are root; a no-op for an unprivileged developer. */
export async function giveTo(user: "nobody" | "postgres", ...paths: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = await idsOf(user);
  for (const p of paths) await chown(p, uid, gid);
}
