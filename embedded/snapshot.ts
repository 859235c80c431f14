// The Devices `amoskys up` runs with, kept in <data>/devices.json so that
// `amoskys get devices` lists every one of them (also those that have sent
// nothing yet), as kubectl lists the Device objects. Each keeps the time up
// first loaded it as its creationTimestamp (kubectl's AGE), across reloads
// and restarts.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Device } from "../crds/index.ts";

export const DEVICES_FILE = "devices.json";

/** A Device as the snapshot keeps it (creationTimestamp as the apiserver serializes it). */
export interface DeviceRecord {
  metadata: { namespace: string; name: string; creationTimestamp: string };
  spec: Device["spec"];
}

const key = (d: { metadata: { namespace?: string; name?: string } }) =>
  `${d.metadata.namespace}/${d.metadata.name}`;

/** RFC 3339 to the second, as the apiserver writes creationTimestamp. */
const timestamp = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The Devices of the last snapshot, or undefined when there is none (or it is unreadable). */
export async function readDeviceSnapshot(dataDir: string): Promise<DeviceRecord[] | undefined> {
  try {
    const doc = JSON.parse(await readFile(join(dataDir, DEVICES_FILE), "utf8")) as {
      items?: unknown;
    };
    return Array.isArray(doc.items) ? (doc.items as DeviceRecord[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the snapshot (atomically), with the creationTimestamp of each Device already in it. */
export async function writeDeviceSnapshot(
  dataDir: string,
  devices: readonly Device[],
  now = new Date(),
): Promise<void> {
  const before = new Map((await readDeviceSnapshot(dataDir))?.map((d) => [key(d), d]) ?? []);
  const items: DeviceRecord[] = devices.map((d) => ({
    metadata: {
      namespace: d.metadata.namespace ?? "default",
      name: d.metadata.name ?? "",
      creationTimestamp: before.get(key(d))?.metadata.creationTimestamp ?? timestamp(now),
    },
    spec: d.spec,
  }));
  const file = join(dataDir, DEVICES_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify({ items }, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
