// Where an agent spent its CPU: self time by function and by file from a V8
// .cpuprofile (node --cpu-prof), printed under the table.
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export async function summarizeProfile(path: string, top = 12): Promise<string> {
  const p = JSON.parse(await readFile(path, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of p.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  // Shares of busy time: the agent idles before and after the load.
  const idleIds = new Set(
    p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
  );
  const all = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const total = [...self].reduce((a, [id, us]) => (idleIds.has(id) ? a : a + us), 0) || 1;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n || idleIds.has(id)) continue;
    const url = n.callFrame.url.replace(
      /^file:\/\/.*?\/(node_modules|agents|proto|runtime|e2e)\//,
      "$1/",
    );
    const f = `${n.callFrame.functionName || "(anonymous)"} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ""}`;
    fn.set(f, (fn.get(f) ?? 0) + us);
    const where = url
      ? url.replace(/^(node_modules\/(@[^/]+\/)?[^/]+)\/.*$/, "$1")
      : n.callFrame.functionName;
    file.set(where, (file.get(where) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us)}  ${k}`)
      .join("\n");
  return `busy ${((total / all) * 100).toFixed(0)}% of ${(all / 1e6).toFixed(1)} s; shares of busy time by file:\n${list(file)}\nby function:\n${list(fn)}`;
}
