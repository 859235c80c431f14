// A real Kubernetes cluster with nodes: etcd, kube-apiserver, controller-manager,
// scheduler, kube-proxy, and two kubelet + containerd nodes — node-amd64 (native)
// and node-arm64 (labelled arm64; its pods run linux-arm64 binaries under
// qemu-user). The scripts in e2e/env/node/ do the work (../shared/KUBE-NODE.md is
// their recipe); this file picks a free slot, starts them in a pid namespace of
// their own, and guarantees their removal:
//   - stop(): the namespace is killed, then cluster-sweep.sh removes the host state;
//   - Ctrl-C or SIGKILL of the test process: the kernel kills the namespace
//     (parent-death signal), and a detached sweeper that holds a pipe from this
//     process sees EOF and removes the host state.
// The apiserver listens on the pod bridge's host address (hostIp), so pods reach
// it through the `kubernetes` Service; host services meant for pods listen there too.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type EnvContext, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { type Service, ServiceStartError, startService } from "../proc.ts";
import { bin, KUBERNETES_VERSION, nodeScripts as NODE_SCRIPTS } from "../toolchain.ts";

export interface ClusterNode {
  name: string;
  arch: "amd64" | "arm64";
  ip: string;
}

export interface ClusterEnv {
  version: string;
  slot: number;
  /** https://<hostIp>:<port> */
  server: string;
  /** The pod bridge's host address: the apiserver, and host services pods must reach. */
  hostIp: string;
  /** The pod network, nodes and host included (CIDR). */
  podNetwork: string;
  /** Admin kubeconfig (system:masters). */
  kubeconfig: string;
  kubectl: string;
  nodes: ClusterNode[];
  /** The run's folder: PKI, configs, logs, containerd and kubelet state. */
  dir: string;
  services: Service[];
}

export interface ClusterOptions {
  /** OCI archives the nodes import before they start (REF-<arch> is tagged REF on that arch's node). */
  images?: string[];
  /**
   * Services (ClusterIPs, the `kubernetes` Service pods use to reach the API):
   * kube-proxy, of which a machine has one, so such clusters take turns (this
   * one waits up to 20 minutes for another run's). Default false.
   */
  services?: boolean;
}

const LOCKS = "/run/lock";

/** A slot (0-31) whose lock is free now; cluster-up.sh takes it for good. */
function freeSlot(): number {
  for (let slot = 0; slot < 32; slot++) {
    const fd = openSync(`${LOCKS}/amoskys-node-${slot}.lock`, "a");
    try {
      const r = spawnSync("flock", ["-n", "3"], { stdio: ["ignore", "ignore", "ignore", fd] });
      if (r.status === 0) return slot;
    } finally {
      closeSync(fd);
    }
  }
  throw new Error("no free node slot (0-31): every /run/lock/amoskys-node-N.lock is held");
}

async function portsEnv(): Promise<Record<string, string>> {
  const names = [
    "ETCD_PORT",
    "ETCD_PEER_PORT",
    "API_PORT",
    "KCM_PORT",
    "SCHED_PORT",
    "KUBE_PROXY_HEALTHZ_PORT",
    "KUBE_PROXY_METRICS_PORT",
    "KUBELET_HEALTHZ_PORT_A",
    "KUBELET_HEALTHZ_PORT_B",
  ];
  const env: Record<string, string> = {};
  for (const n of names) env[n] = String(await freePort());
  return env;
}

/** A sweeper that removes the slot's host state once this process is gone. */
function startSweeper(env: NodeJS.ProcessEnv, logFile: string): { kill(): void } {
  const fd = openSync(logFile, "a");
  const child = spawn(join(NODE_SCRIPTS, "cluster-sweep.sh"), ["--wait-eof"], {
    env,
    stdio: ["pipe", fd, fd],
    detached: true, // its own session: Ctrl-C and our death do not take it along
  });
  closeSync(fd);
  child.unref();
  return {
    kill: () => {
      child.stdin?.destroy();
      child.kill("SIGKILL");
    },
  };
}

export async function startCluster(
  ctx: EnvContext,
  opts: ClusterOptions = {},
): Promise<ClusterEnv> {
  const dir = await serviceDir(ctx, "cluster");
  await mkdir(join(dir, "images"), { recursive: true });
  for (const image of opts.images ?? [])
    await copyFile(image, join(dir, "images", basename(image)));
  for (let attempt = 0; ; attempt++) {
    const slot = freeSlot();
    const ports = await portsEnv();
    const env = {
      ...process.env,
      ...ports,
      SLOT: String(slot),
      NODE_DIR: dir,
      KUBE_PROXY: opts.services ? "1" : "0",
      KUBE_PROXY_WAIT: "1200",
    };
    const sweeper = startSweeper(env, join(dir, "sweep.log"));
    const svc = startService({
      name: "cluster",
      command: "unshare",
      args: ["--pid", "--fork", "--kill-child=SIGKILL", join(NODE_SCRIPTS, "cluster-run.sh")],
      logFile: join(dir, "cluster.log"),
      env,
    });
    let init = 0;
    const stop = async () => {
      sweeper.kill();
      // SIGKILL the namespace's PID 1: the kernel kills everything in it, and unshare,
      // its parent, reaps it and exits. Then wait until nothing of the namespace is left.
      if (init) process.kill(init, "SIGKILL");
      await svc.stop(5000);
      await allGone(dir, 30_000);
      const r = spawnSync(join(NODE_SCRIPTS, "cluster-sweep.sh"), [], {
        env,
        encoding: "utf8",
      });
      if (r.status !== 0) console.error(`# cluster sweep: ${r.stderr}`);
    };
    const up = await waitForLine(svc, "cluster up", 1_800_000);
    if (up === "slot in use" && attempt < 3) {
      await stop();
      continue;
    }
    if (up !== "ok") {
      const log = svc.logTail(60);
      await stop();
      throw new ServiceStartError("cluster", up, log);
    }
    // The namespace's PID 1 (unshare's child): stop() kills it, and the kernel the rest.
    init = Number(readFileSync(`/proc/${svc.pid}/task/${svc.pid}/children`, "utf8").split(" ")[0]);
    const net = 213 + slot;
    const hostIp = `10.${net}.0.1`;
    return {
      version: KUBERNETES_VERSION,
      slot,
      server: `https://${hostIp}:${ports.API_PORT}`,
      hostIp,
      podNetwork: `10.${net}.0.0/16`,
      kubeconfig: join(dir, "pki/admin.kubeconfig"),
      kubectl: bin("kubectl"),
      nodes: [
        { name: "node-amd64", arch: "amd64", ip: hostIp },
        { name: "node-arm64", arch: "arm64", ip: `10.${net}.0.2` },
      ],
      dir,
      // stop() of this one Service stops the cluster and sweeps the host.
      services: [{ ...svc, stop }],
    };
  }
}

/**
 * Live processes (not zombies) of the cluster whose folder is `dir`: every
 * process the scripts start inherits NODE_DIR=<dir>, a path no other run has
 * (a namespace's inode number, by contrast, is reused once it is freed).
 */
export function clusterProcesses(dir: string): number[] {
  const mark = Buffer.from(`\0NODE_DIR=${dir}\0`);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`)]);
      if (!environ.includes(mark)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z")
        pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

async function allGone(dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (clusterProcesses(dir).length > 0 && Date.now() < deadline) await sleep(100);
}

/** Resolves "ok" when the log has `line`, or the reason it never will. */
async function waitForLine(svc: Service, line: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = svc.logTail(400);
    if (log.includes(line)) return "ok";
    if (!svc.isRunning())
      return log.includes("is in use") ? "slot in use" : `exited (${await svc.exited})`;
    if (Date.now() > deadline) return `not up after ${timeoutMs} ms`;
    await new Promise((r) => setTimeout(r, 250));
  }
}
