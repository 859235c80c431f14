// The builder's test cases (testdata/<case>.input.yaml), for every test that
// renders a collector: the collector tests, the reconciler's pure plans, the
// agent's sharding.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { V1Secret } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import type { CollectorProfile, Device } from "../../../crds/index.ts";

export const testdata = import.meta.dirname;

/** The operator settings every case is built with. */
export const PARAMS = {
  image: "ghcr.io/amoskys/amoskys:0.1.0",
  natsUrl: "tls://nats.amoskys-system.svc:4222",
  signingKeyId: "5f3a9c0e12b4d678",
};

/** The case's CollectorProfile, Devices and, if any, the --nats-secret Secret. */
export async function loadCase(
  name: string,
): Promise<{ profile: CollectorProfile; devices: Device[]; busSource?: V1Secret }> {
  const docs = parseAllDocuments(await readFile(join(testdata, `${name}.input.yaml`), "utf8"));
  const objects = docs.map((d) => d.toJS() as CollectorProfile | Device | V1Secret);
  const profile = objects.find((o): o is CollectorProfile => o.kind === "CollectorProfile");
  assert.ok(profile, `${name}: no CollectorProfile`);
  const devices = objects.filter((o): o is Device => o.kind === "Device");
  const busSource = objects.find((o): o is V1Secret => o.kind === "Secret");
  return { profile, devices, ...(busSource && { busSource }) };
}
