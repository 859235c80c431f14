// The Sparkplug B topic namespace (specification chapter 4):
//   spBv1.0/<group_id>/<message_type>/<edge_node_id>[/<device_id>]
//   spBv1.0/STATE/<host_id>   (Sparkplug 3.0; 2.2 used STATE/<host_id>)

export const NAMESPACE = "spBv1.0";

export const NODE_TYPES = ["NBIRTH", "NDEATH", "NDATA", "NCMD"] as const;
export const DEVICE_TYPES = ["DBIRTH", "DDEATH", "DDATA", "DCMD"] as const;
export type NodeMessageType = (typeof NODE_TYPES)[number];
export type DeviceMessageType = (typeof DEVICE_TYPES)[number];
export type MessageType = NodeMessageType | DeviceMessageType;

export type SparkplugTopic =
  | { kind: "node"; type: NodeMessageType; group: string; node: string }
  | { kind: "device"; type: DeviceMessageType; group: string; node: string; device: string }
  | { kind: "state"; host: string };

const MAX_ID = 256;

// Ids are non-empty and free of the MQTT wildcard and separator characters.
function validId(s: string | undefined): s is string {
  return s !== undefined && s.length > 0 && s.length <= MAX_ID && !/[+#/]/.test(s);
}

export function parseTopic(
  topic: string,
): { ok: true; value: SparkplugTopic } | { ok: false; reason: string } {
  const parts = topic.split("/");
  if (parts[0] === "STATE" && parts.length === 2 && validId(parts[1]))
    return { ok: true, value: { kind: "state", host: parts[1] } };
  if (parts[0] !== NAMESPACE)
    return { ok: false, reason: `topic does not start with ${NAMESPACE}/` };
  if (parts[1] === "STATE") {
    return parts.length === 3 && validId(parts[2])
      ? { ok: true, value: { kind: "state", host: parts[2] } }
      : { ok: false, reason: "STATE topic is not spBv1.0/STATE/<host_id>" };
  }
  const [, group, type, node, device] = parts;
  if (!validId(group) || !validId(node))
    return { ok: false, reason: "topic lacks a valid group or edge node id" };
  if ((NODE_TYPES as readonly string[]).includes(type ?? "")) {
    if (parts.length !== 4)
      return { ok: false, reason: `${type} topic has ${parts.length} levels, not 4` };
    return { ok: true, value: { kind: "node", type: type as NodeMessageType, group, node } };
  }
  if ((DEVICE_TYPES as readonly string[]).includes(type ?? "")) {
    if (parts.length !== 5 || !validId(device))
      return { ok: false, reason: `${type} topic is not spBv1.0/<group>/${type}/<node>/<device>` };
    return {
      ok: true,
      value: { kind: "device", type: type as DeviceMessageType, group, node, device },
    };
  }
  return { ok: false, reason: `unknown message type ${JSON.stringify((type ?? "").slice(0, 32))}` };
}

/** STATE payloads: 3.0 sends JSON {"online": bool, "timestamp": ms}; 2.2 sent "ONLINE"/"OFFLINE". */
export function parseState(
  payload: Uint8Array,
): { ok: true; online: boolean; timestamp?: number } | { ok: false; reason: string } {
  if (payload.length > 4096) return { ok: false, reason: "STATE payload over 4096 bytes" };
  const text = Buffer.from(payload).toString("utf8").trim();
  if (text === "ONLINE") return { ok: true, online: true };
  if (text === "OFFLINE") return { ok: true, online: false };
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && typeof (v as { online?: unknown }).online === "boolean") {
      const ts = (v as { timestamp?: unknown }).timestamp;
      return {
        ok: true,
        online: (v as { online: boolean }).online,
        ...(typeof ts === "number" && Number.isFinite(ts) && { timestamp: ts }),
      };
    }
  } catch {
    // fall through
  }
  return { ok: false, reason: 'STATE payload is neither {"online":…} nor ONLINE/OFFLINE' };
}
