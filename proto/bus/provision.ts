// Creates or updates the JetStream streams from their specs. Idempotent and
// safe to run at every start, also from two processes at once: the server
// accepts an identical create twice, and updates converge on the same config.
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { type BusStreamsConfig, busStreams, type StreamSpec } from "./conventions.ts";
import { ConfigConflictError } from "./errors.ts";
import type { ProvisionResult } from "./types.ts";

/** The StreamConfig a spec stands for. */
export function streamConfig(spec: StreamSpec): StreamConfig {
  const l = spec.limits;
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    description: spec.description,
    retention: spec.retention === "workqueue" ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: spec.storage === "file" ? StorageType.File : StorageType.Memory,
    discard: spec.discard === "new" ? DiscardPolicy.New : DiscardPolicy.Old,
    max_bytes: l.maxBytes,
    max_msgs: l.maxMsgs,
    max_age: nanos(l.maxAgeMs),
    max_msg_size: l.maxMsgSize,
    duplicate_window: nanos(l.duplicateWindowMs),
    num_replicas: l.replicas,
  } as StreamConfig; // the fields left out keep the server's defaults
}

const IMMUTABLE = ["retention", "storage"] as const;
const UPDATABLE = [
  "subjects",
  "description",
  "discard",
  "max_bytes",
  "max_msgs",
  "max_age",
  "max_msg_size",
  "duplicate_window",
  "num_replicas",
] as const;

/** Every AMOSKYS stream, with these limits. */
export async function ensureStreams(
  jsm: JetStreamManager,
  config: BusStreamsConfig = {},
): Promise<ProvisionResult[]> {
  const results: ProvisionResult[] = [];
  for (const spec of busStreams(config)) results.push(await ensureStream(jsm, spec));
  return results;
}

export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
): Promise<ProvisionResult> {
  const want = streamConfig(spec);
  let have = await info(jsm, spec.name);
  if (!have) {
    try {
      await jsm.streams.add(want);
      return { stream: spec.name, action: "created", changed: [] };
    } catch (err) {
      // Another process created it first, with other limits: update below.
      if (!(err instanceof JetStreamApiError && err.code === STREAM_NAME_IN_USE)) throw err;
      have = await info(jsm, spec.name);
      if (!have) throw err;
    }
  }
  for (const f of IMMUTABLE)
    if (have[f] !== want[f])
      throw new ConfigConflictError(`stream ${spec.name}`, f, want[f], have[f]);
  const changed = UPDATABLE.filter((f) => !same(want[f], have[f]));
  if (changed.length === 0) return { stream: spec.name, action: "unchanged", changed };
  const update = Object.fromEntries(changed.map((f) => [f, want[f]]));
  await jsm.streams.update(spec.name, update);
  return { stream: spec.name, action: "updated", changed };
}

const STREAM_NAME_IN_USE = 10058;

async function info(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
      return undefined;
    throw err;
  }
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sb = [...b].sort();
    return a.length === b.length && [...a].sort().every((v, i) => v === sb[i]);
  }
  return (a ?? "") === (b ?? "");
}
