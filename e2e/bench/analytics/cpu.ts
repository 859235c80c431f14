// CPU time of processes from /proc: a process (its threads included) or a
// process tree (a service and what it forked: Postgres backends), and
// the machine's busy time, so a run can say who used the two cores.
import { readdirSync, readFileSync } from "node:fs";

const TICK_S = 0.01; // USER_HZ is 100 on Linux

/** utime+stime+cutime+cstime of one process, in seconds; 0 if it is gone. */
function procSeconds(pid: number | string): { s: number; ppid: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(f[i] ?? 0);
    return { s: (n(11) + n(12) + n(13) + n(14)) * TICK_S, ppid: n(1) };
  } catch {
    return { s: 0, ppid: -1 };
  }
}

/**
 * CPU seconds of a process and all its live descendants (plus the children
 * they reaped). By parentage, not process group: Postgres backends setsid().
 */
export function treeSeconds(root: number): number {
  const procs = new Map<number, { ppid: number; s: number }>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const p = procSeconds(e);
    if (p.ppid >= 0) procs.set(Number(e), { ppid: p.ppid, s: p.s });
  }
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    total += procs.get(pid)?.s ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function processSeconds(pid: number): number {
  return procSeconds(pid).s;
}

/** Busy seconds of the whole machine (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = (v[0] ?? 0) + (v[1] ?? 0) + (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
  return busy * TICK_S;
}

export type Sources = Record<string, () => number>;

/** Seconds used by each source between start() and the returned stop(). */
export function cpuMeter(sources: Sources): () => { wallS: number; used: Record<string, number> } {
  const read = () => {
    const o: Record<string, number> = { machine: machineBusySeconds() };
    for (const [k, f] of Object.entries(sources)) o[k] = f();
    return o;
  };
  const a = read();
  const t0 = performance.now();
  return () => {
    const b = read();
    const used: Record<string, number> = {};
    for (const k of Object.keys(b)) used[k] = (b[k] ?? 0) - (a[k] ?? 0);
    return { wallS: (performance.now() - t0) / 1000, used };
  };
}
