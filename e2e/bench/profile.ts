// Where a process spent its CPU: self time by file (or folder) and by
// function, from a V8 .cpuprofile (node --cpu-prof), as shares of its busy
// time (a benchmarked process idles before and after the load).
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface SummaryOptions {
  /** What the summary is about, e.g. "analytics CPU profile". */
  title: string;
  /** Group files by their folder (node_modules by package either way). */
  by: "file" | "folder";
  top?: number;
}

export async function summarizeProfile(path: string, o: SummaryOptions): Promise<string> {
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
      /^file:\/\/.*?\/(node_modules|analytics|agents|proto|runtime|operator|e2e)\//,
      "$1/",
    );
    add(
      fn,
      `${n.callFrame.functionName || "(anonymous)"} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ""}`,
      us,
    );
    const place = !url
      ? n.callFrame.functionName // (garbage collector), (program), natives
      : url.startsWith("node_modules/")
        ? url.replace(/^(node_modules\/(@[^/]+\/)?[^/]+)\/.*$/, "$1")
        : o.by === "folder"
          ? url.replace(/\/[^/]+$/, "/")
          : url;
    add(where, place, us);
  }
  const pct = (us: number) => `${((us / (busy || 1)) * 100).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, o.top ?? 15)
      .map(([k, us]) => `  ${pct(us)}  ${k}`)
      .join("\n");
  return (
    `${o.title}: busy ${((busy / all) * 100).toFixed(0)}% of ${(all / 1e6).toFixed(1)} s profiled; ` +
    `self time by ${o.by === "folder" ? "folder/package" : "file"}:\n${list(where)}\nby function:\n${list(fn)}`
  );
}
