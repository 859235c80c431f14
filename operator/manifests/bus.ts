// The NATS client credentials of the collectors (operator flag --nats-secret):
// which keys of the operator's Secret the agent uses, whether the Secret is
// usable, the digest that rolls the pods when it changes, and the files
// agent.yaml names. Pure: the reconciler reads the Secret, collector.ts copies
// it into the profile's namespace (a pod can only mount Secrets of its own).
import { createHmac } from "node:crypto";
import type { AgentConfig } from "./agent-config.ts";
import { busSecretName, secretFile } from "./names.ts";

/** The data keys of the --nats-secret Secret (the kubernetes.io/tls and basic-auth names). */
export const BUS_KEYS = {
  ca: "ca.crt",
  username: "username",
  password: "password",
  cert: "tls.crt",
  key: "tls.key",
} as const;

/** The usable keys of the source Secret, sorted (the copy holds exactly these). */
export interface BusCredentials {
  /** Base64 values, as in a Secret's `data`. */
  data: Record<string, string>;
  /** First 16 hex digits of HMAC-SHA256(signing seed, data): see BUS_HASH_ANNOTATION. */
  digest: string;
}

/**
 * The keys of the source Secret's `data` the agent uses: `ca.crt`, and
 * `username` + `password` and/or `tls.crt` + `tls.key`. Empty values count as
 * absent. Returns why the Secret cannot be used, or its usable data (sorted).
 */
export function busSourceData(
  data: Record<string, string> | undefined,
  secretName: string,
): { data: Record<string, string> } | { problem: string } {
  if (data === undefined)
    return { problem: `the NATS client Secret ${secretName} (--nats-secret) does not exist` };
  const has = (k: string) => typeof data[k] === "string" && data[k] !== "";
  const problems: string[] = [];
  if (!has(BUS_KEYS.ca)) problems.push(`has no ${BUS_KEYS.ca}`);
  const userPass = [BUS_KEYS.username, BUS_KEYS.password].filter(has).length;
  const cert = [BUS_KEYS.cert, BUS_KEYS.key].filter(has).length;
  if (userPass === 1) problems.push(`needs both ${BUS_KEYS.username} and ${BUS_KEYS.password}`);
  if (cert === 1) problems.push(`needs both ${BUS_KEYS.cert} and ${BUS_KEYS.key}`);
  if (userPass === 0 && cert === 0)
    problems.push(
      `needs ${BUS_KEYS.username} and ${BUS_KEYS.password}, or ${BUS_KEYS.cert} and ${BUS_KEYS.key}`,
    );
  if (problems.length > 0)
    return {
      problem: `the NATS client Secret ${secretName} (--nats-secret) ${problems.join("; ")}`,
    };
  const used = Object.values(BUS_KEYS)
    .filter(has)
    .sort()
    .map((k) => [k, data[k] as string]);
  return { data: Object.fromEntries(used) };
}

/**
 * The digest of the credentials: HMAC-SHA256 keyed by the profile's signing
 * seed over "amoskys.io/bus-credentials\n" and "<key>=<base64>\n" per key in
 * sorted order. Keyed, because it is shown in the pod template (readable by
 * more people than the Secret) and a password may be weak; the signing seed
 * is a secret each profile already has. A key rotation rolls the pods anyway.
 */
export function busDigest(data: Record<string, string>, seed: Uint8Array): string {
  const h = createHmac("sha256", seed).update("amoskys.io/bus-credentials\n", "utf8");
  for (const k of Object.keys(data).sort()) h.update(`${k}=${data[k]}\n`, "utf8");
  return h.digest("hex").slice(0, 16);
}

type BusFiles = Pick<
  AgentConfig["bus"],
  "caFile" | "usernameFile" | "passwordFile" | "certFile" | "keyFile"
>;

/** The agent.yaml bus fields for the keys of the profile's copy. */
export function busFiles(profileName: string, keys: readonly string[]): BusFiles {
  const secret = busSecretName(profileName);
  const file = (k: string) => (keys.includes(k) ? secretFile(secret, k) : undefined);
  const out: BusFiles = {};
  const fields: [keyof BusFiles, string][] = [
    ["caFile", BUS_KEYS.ca],
    ["usernameFile", BUS_KEYS.username],
    ["passwordFile", BUS_KEYS.password],
    ["certFile", BUS_KEYS.cert],
    ["keyFile", BUS_KEYS.key],
  ];
  for (const [field, key] of fields) {
    const f = file(key);
    if (f !== undefined) out[field] = f;
  }
  return out;
}
