// What the operator and the kubelet do for a collector, done on disk: each
// CollectorProfile gets a pod root <data>/pods/<namespace>/<profile>/ holding
// etc/amoskys/agent.yaml (rendered by the operator's own code), the signing
// key (generated once, kept there across restarts), the device Secrets'
// keys as mounted files, and var/lib/amoskys/outbox. The agent runs with
// `root` pointing there.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CollectorProfile, Device } from "../crds/index.ts";
import { referencedSecretKeys, renderAgentConfig } from "../operator/manifests/agent-config.ts";
import {
  CONFIG_FILE,
  producerId,
  SIGNING_KEY_FILE,
  secretFile,
} from "../operator/manifests/names.ts";
import { servedDevices } from "../operator/manifests/selection.ts";
import { keyPairFromSeed } from "../operator/manifests/signing-key.ts";
import type { TrustDocument } from "../proto/trust.ts";
import type { SecretObject } from "./manifests.ts";

/** bus.url of the rendered configs: the agent ships to the in-process bus instead. */
export const MEMORY_BUS_URL = "memory://amoskys-up";

export interface PodPlan {
  namespace: string;
  profile: string;
  /** The pod's root directory. */
  root: string;
  configPath: string;
  /** agent.yaml as rendered. */
  config: string;
  devices: string[];
  /** Secret keys the devices reference that no manifest provides: `<secret>/<key>`. */
  missingSecrets: string[];
  key: { keyId: string; publicKey: Buffer };
}

export function podRoot(dataDir: string, namespace: string, profile: string): string {
  return join(dataDir, "pods", namespace, profile);
}

async function writeAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<boolean> {
  try {
    const have = await readFile(path);
    if (have.equals(Buffer.from(data))) return false;
  } catch {
    // not there yet
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.new`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path); // as the kubelet swaps a ConfigMap: never half a file
  return true;
}

/** The profile's signing seed: read from the pod root, or generated and stored once. */
async function signingKey(root: string): Promise<{ keyId: string; publicKey: Buffer }> {
  const file = join(root, SIGNING_KEY_FILE);
  let seed: Buffer;
  try {
    seed = await readFile(file);
    if (seed.length !== 32) throw new Error(`${file}: not a 32-byte Ed25519 seed`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    seed = randomBytes(32);
    await writeAtomic(file, seed);
  }
  return keyPairFromSeed(seed);
}

/**
 * Lays out (or updates) the pod of each profile and returns the plans. Only
 * files whose content changed are rewritten, so an unchanged agent.yaml does
 * not wake the agent.
 */
export async function writePods(
  dataDir: string,
  profiles: readonly CollectorProfile[],
  devices: readonly Device[],
  secrets: ReadonlyMap<string, SecretObject>,
): Promise<PodPlan[]> {
  const plans: PodPlan[] = [];
  for (const p of profiles) {
    const namespace = p.metadata.namespace ?? "";
    const name = p.metadata.name ?? "";
    const root = podRoot(dataDir, namespace, name);
    const key = await signingKey(root);
    const served = servedDevices(p, profiles, devices);
    const config = renderAgentConfig(p, served, {
      natsUrl: MEMORY_BUS_URL,
      signingKeyId: key.keyId,
    });
    const missingSecrets: string[] = [];
    for (const ref of referencedSecretKeys(served)) {
      const value = secrets.get(`${namespace}/${ref.secret}`)?.data[ref.key];
      if (value === undefined) {
        missingSecrets.push(`${ref.secret}/${ref.key}`);
        continue;
      }
      await writeAtomic(join(root, secretFile(ref.secret, ref.key)), value);
    }
    await mkdir(join(root, "var/lib/amoskys/outbox"), { recursive: true, mode: 0o700 });
    const configPath = join(root, CONFIG_FILE);
    await writeAtomic(configPath, config, 0o644);
    plans.push({
      namespace,
      profile: name,
      root,
      configPath,
      config,
      devices: served.map((d) => d.metadata.name ?? ""),
      missingSecrets,
      key,
    });
  }
  return plans;
}

/** The trust document of the running pods (what the operator publishes in amoskys-trust). */
export function trustOf(plans: readonly PodPlan[]): TrustDocument {
  const producers: TrustDocument["producers"] = {};
  for (const p of plans)
    producers[producerId(p.namespace, p.profile)] = [
      { keyId: p.key.keyId, publicKey: p.key.publicKey.toString("base64") },
    ];
  return { producers };
}
