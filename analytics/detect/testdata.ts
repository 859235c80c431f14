// Test helpers: the rule pack as loaded objects, an engine over it, and
// AgentDevices / Device specs for replayed captures. Test-only.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { AgentDevice } from "../../agents/collector.ts";
import type { DetectionRule, DeviceSpec } from "../../crds/index.ts";
import { sharedDir } from "../../e2e/env/toolchain.ts";
import type { FindingUpdate, TelemetryEvent } from "../model.ts";
import { createEngine } from "./engine.ts";

export const NS = "plant";
export const RULES_DIR = join(import.meta.dirname, "../../examples/rules");
export const TESTDATA = join(sharedDir, "testdata");

/** Every rule of examples/rules, in namespace NS. */
export function loadPack(): DetectionRule[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const r = parse(readFileSync(join(RULES_DIR, f), "utf8")) as DetectionRule;
      r.metadata.namespace = NS;
      r.metadata.generation = 1;
      return r;
    });
}

export interface TestDevice {
  name: string;
  address: string;
  type?: DeviceSpec["type"];
  allowedWriters?: string[];
}

export function agentDevices(devs: TestDevice[]): AgentDevice[] {
  return devs.map((d) => ({
    namespace: NS,
    name: d.name,
    address: d.address,
    type: d.type ?? "ot",
    subject: `amoskys.telemetry.${NS}.${d.name}`,
  }));
}

export function deviceLookup(devs: TestDevice[]) {
  const specs = new Map<string, DeviceSpec>(
    devs.map((d) => [
      d.name,
      {
        address: d.address,
        type: d.type ?? "ot",
        ...(d.allowedWriters ? { modbus: { allowedWriters: d.allowedWriters } } : {}),
      } as DeviceSpec,
    ]),
  );
  return (ns: string, name: string) => (ns === NS ? specs.get(name) : undefined);
}

/** Runs events through the whole pack; returns the updates and the firings per rule name. */
export function runPack(
  events: TelemetryEvent[],
  devs: TestDevice[] = [],
  rules: DetectionRule[] = loadPack(),
): { updates: FindingUpdate[]; fired: Map<string, FindingUpdate[]> } {
  const engine = createEngine({ devices: deviceLookup(devs) });
  const status = engine.setRules(rules);
  for (const s of status) if (!s.accepted) throw new Error(`${s.rule.name}: ${s.reason}`);
  // In batches, as ingest hands them over.
  const updates: FindingUpdate[] = [];
  for (let i = 0; i < events.length; i += 500)
    updates.push(...engine.process(events.slice(i, i + 500)));
  const fired = new Map<string, FindingUpdate[]>();
  for (const u of updates) {
    if (!u.fire) continue;
    const list = fired.get(u.rule.name) ?? [];
    list.push(u);
    fired.set(u.rule.name, list);
  }
  return { updates, fired };
}
