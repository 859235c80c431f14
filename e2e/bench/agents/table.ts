// The result table: ours, the peer, their ratio and the issue's goal.
export interface Measurement {
  name: string;
  unit: string;
  ours: number;
  peer: number;
  peerName: string;
  /** Least acceptable ours/peer. */
  goal: number;
  detail: string;
}

export interface NotMeasured {
  name: string;
  reason: string;
}

export interface Memory {
  name: string;
  rssMb: number;
  hwmMb: number;
  limitMb: number;
  detail: string;
}

export type Row = Measurement | NotMeasured | Memory;

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

export function printTable(rows: Row[]): void {
  console.log(
    `${"measurement".padEnd(20)} ${"ours".padStart(10)} ${"peer".padStart(10)}  ${"unit".padEnd(11)} ${"ours/peer".padStart(9)}  goal`,
  );
  for (const r of rows) {
    if ("reason" in r) {
      console.log(`${r.name.padEnd(20)} not measured: ${r.reason}`);
    } else if ("rssMb" in r) {
      const ok = r.rssMb < r.limitMb ? "met" : "MISSED";
      console.log(
        `${r.name.padEnd(20)} ${r.rssMb.toFixed(1).padStart(10)} ${"".padStart(10)}  ${"MB RSS".padEnd(11)} ${"".padStart(9)}  < ${r.limitMb} MB: ${ok} (VmHWM ${r.hwmMb.toFixed(1)} MB)`,
      );
    } else {
      const ratio = r.peer > 0 ? r.ours / r.peer : 0;
      const ok = ratio >= r.goal ? "met" : "MISSED";
      console.log(
        `${r.name.padEnd(20)} ${fmt(r.ours).padStart(10)} ${fmt(r.peer).padStart(10)}  ${r.unit.padEnd(11)} ${ratio.toFixed(2).padStart(9)}  ≥ ${r.goal.toFixed(2)}: ${ok}`,
      );
    }
  }
  console.log("");
  for (const r of rows) {
    if ("reason" in r) continue;
    console.log(`${r.name}: ${"peerName" in r ? `peer ${r.peerName}; ` : ""}${r.detail}`);
  }
}
