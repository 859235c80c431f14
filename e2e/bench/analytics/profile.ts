// Where the analytics process spent its CPU: self time by package/folder and
// by function, from a V8 .cpuprofile (node --cpu-prof).
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export async function summarizeProfile(path: string, top = 15): Promise<string> {
  const p = JSON.parse(await readFile(path, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of p.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  const idle = new Set(
    p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
  );
  const all = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  let busy = 0;
  const fn = new Map<string, number>();
  const where = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n || idle.has(id)) continue;
    busy += us;
    const url = n.callFrame.url.replace(
      /^file:\/\/.*?\/(node_modules|analytics|proto|runtime|operator|agents)\//,
      "$1/",
    );
    add(
      fn,
      `${n.callFrame.functionName || "(anonymous)"} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ""}`,
      us,
    );
    const folder = url
      ? url.startsWith("node_modules/")
        ? url.replace(/^(node_modules\/(@[^/]+\/)?[^/]+)\/.*$/, "$1")
        : url.replace(/\/[^/]+$/, "/")
      : n.callFrame.functionName; // (garbage collector), (program), natives
    add(where, folder, us);
  }
  const pct = (us: number) => `${((us / (busy || 1)) * 100).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us)}  ${k}`)
      .join("\n");
  return (
    `analytics CPU profile: busy ${((busy / all) * 100).toFixed(0)}% of ${(all / 1e6).toFixed(1)} s profiled; ` +
    `self time by folder/package:\n${list(where)}\nby function:\n${list(fn)}`
  );
}
