// MQTT 3.1, 3.1.1 and 5.0 over plain TCP (1883): CONNECT (client id,
// protocol, whether a user name and password were sent — in clear, since we
// could read them), CONNACK, PUBLISH (topic, QoS, payload length),
// SUBSCRIBE. Passwords and payloads are never reported. A PUBLISH payload
// larger than the buffer is skipped without buffering it.
import type { Report, StreamAnalyzer } from "./types.ts";
import { append } from "./types.ts";

/** Largest control packet buffered whole; bigger PUBLISH payloads are skipped. */
const MAX_PACKET = 65_536;
const MAX_TOPICS = 32;
const MAX_FIELD = 1024;

const PROTOCOL_VERSIONS: Record<number, string> = { 3: "3.1", 4: "3.1.1", 5: "5.0" };
/** Zeek's texts for the MQTT 3 CONNACK return codes. */
const CONNACK_TEXT: Record<number, string> = {
  0: "Connection Accepted",
  1: "Refused: unacceptable protocol version",
  2: "Refused: identifier rejected",
  3: "Refused: server unavailable",
  4: "Refused: bad user name or password",
  5: "Refused: not authorized",
};
const QOS_TEXT = ["at most once", "at least once", "exactly once"];

class Reader {
  at = 0;
  readonly b: Uint8Array;
  constructor(b: Uint8Array) {
    this.b = b;
  }
  left(): number {
    return this.b.length - this.at;
  }
  u8(): number {
    if (this.left() < 1) throw new RangeError("MQTT: truncated");
    return this.b[this.at++] as number;
  }
  u16(): number {
    return this.u8() * 256 + this.u8();
  }
  bytes(): Uint8Array {
    const n = this.u16();
    if (this.left() < n) throw new RangeError("MQTT: string beyond packet");
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  str(): string {
    return Buffer.from(this.bytes().subarray(0, MAX_FIELD)).toString("utf8");
  }
  varint(): number {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const x = this.u8();
      n += (x & 0x7f) * 128 ** i;
      if (!(x & 0x80)) return n;
    }
    throw new RangeError("MQTT: variable integer too long");
  }
  /** Skips MQTT 5 properties. */
  skipProps(): void {
    const n = this.varint();
    if (this.left() < n) throw new RangeError("MQTT: properties beyond packet");
    this.at += n;
  }
}

/** Decodes one complete control packet (fixed header included). Exposed for fuzzing. */
export function decodeMqttPacket(
  pkt: Uint8Array,
  fromClient: boolean,
  version: { level: number },
): { action: string; fields: Record<string, string> } | { error: string } | null {
  // The reader throws RangeError on truncation internally; it never escapes.
  try {
    const r = new Reader(pkt);
    const h = r.u8();
    const type = h >> 4;
    r.varint();
    if (type === 1) {
      const protocolName = r.str();
      const level = r.u8();
      if (protocolName !== "MQTT" && protocolName !== "MQIsdp") {
        return {
          error: `MQTT: unknown protocol name ${JSON.stringify(protocolName.slice(0, 16))}`,
        };
      }
      version.level = level;
      const flags = r.u8();
      const keepAlive = r.u16();
      if (level === 5) r.skipProps();
      const clientId = r.str();
      const fields: Record<string, string> = {
        protocolName,
        protocolVersion: PROTOCOL_VERSIONS[level] ?? String(level),
        clientId,
        keepAlive: String(keepAlive),
        cleanSession: String((flags & 0x02) !== 0),
        willPresent: String((flags & 0x04) !== 0),
        usernamePresent: String((flags & 0x80) !== 0),
        passwordPresent: String((flags & 0x40) !== 0),
        // We read this CONNECT off the wire, so it was not inside TLS.
        passwordInClear: String((flags & 0x40) !== 0),
      };
      if (flags & 0x04) {
        if (level === 5) r.skipProps();
        fields.willTopic = r.str();
        r.bytes(); // will payload
      }
      if (flags & 0x80) fields.username = r.str();
      return { action: "connect", fields };
    }
    if (type === 2) {
      const flags = r.u8();
      const code = r.u8();
      return {
        action: "connack",
        fields: {
          returnCode: String(code),
          connectStatus:
            version.level === 5
              ? code === 0
                ? "Success"
                : `reason ${code}`
              : (CONNACK_TEXT[code] ?? `unknown ${code}`),
          sessionPresent: String((flags & 1) !== 0),
        },
      };
    }
    if (type === 3) {
      const qos = (h >> 1) & 3;
      if (qos === 3) return { error: "MQTT: PUBLISH with QoS 3" };
      const fields: Record<string, string> = {
        topic: r.str(),
        qos: String(qos),
        qosText: QOS_TEXT[qos] as string,
        retain: String((h & 1) !== 0),
        dup: String((h & 8) !== 0),
        fromClient: String(fromClient),
      };
      if (qos > 0) fields.packetId = String(r.u16());
      if (version.level === 5) r.skipProps();
      fields.payloadLength = String(r.left());
      return { action: "publish", fields };
    }
    if (type === 8) {
      const packetId = r.u16();
      if (version.level === 5) r.skipProps();
      const topics: string[] = [];
      const qos: string[] = [];
      while (r.left() > 0 && topics.length < MAX_TOPICS) {
        topics.push(r.str());
        qos.push(String(r.u8() & 3));
      }
      if (topics.length === 0) return { error: "MQTT: SUBSCRIBE without topics" };
      return {
        action: "subscribe",
        fields: { packetId: String(packetId), topics: topics.join(","), qosLevels: qos.join(",") },
      };
    }
    if (type === 9) {
      const packetId = r.u16();
      if (version.level === 5) r.skipProps();
      const granted: number[] = [];
      while (r.left() > 0 && granted.length < MAX_TOPICS) granted.push(r.u8());
      return {
        action: "suback",
        fields: { packetId: String(packetId), grantedQos: granted.join(",") },
      };
    }
    if (type === 14) return { action: "disconnect", fields: {} };
    if (type === 0 || (type === 15 && version.level !== 5))
      return { error: `MQTT: reserved packet type ${type}` };
    return null; // PUBACK, PINGREQ, ...: nothing to report
  } catch (err) {
    return { error: err instanceof RangeError ? err.message : "MQTT: undecodable packet" };
  }
}

export function mqttAnalyzer(report: Report): StreamAnalyzer {
  const bufs = { client: new Uint8Array(0), server: new Uint8Array(0) };
  /** Payload bytes still to skip of an oversized PUBLISH, per direction. */
  const skip = { client: 0, server: 0 };
  const version = { level: 4 };
  let disabled = false;
  return {
    data(fromClient, bytes) {
      if (disabled) return;
      const side = fromClient ? "client" : "server";
      let data = bytes;
      if (skip[side] > 0) {
        const n = Math.min(skip[side], data.length);
        skip[side] -= n;
        data = data.subarray(n);
      }
      let b = append(bufs[side], data);
      let at = 0;
      while (b.length - at >= 2) {
        // Fixed header: type/flags byte + remaining length (1..4 bytes).
        let len = 0;
        let hdr = 0;
        for (let i = 0; i < 4; i++) {
          if (at + 1 + i >= b.length) break;
          const x = b[at + 1 + i] as number;
          len += (x & 0x7f) * 128 ** i;
          if (!(x & 0x80)) {
            hdr = 2 + i;
            break;
          }
          if (i === 3) hdr = -1;
        }
        if (hdr === -1) {
          report.malformed("MQTT: remaining length too long", b.subarray(at));
          disabled = true;
          return;
        }
        if (hdr === 0) break; // need more header bytes
        const type = (b[at] as number) >> 4;
        if (hdr + len > MAX_PACKET) {
          if (type !== 3) {
            report.malformed(
              `MQTT: packet type ${type} of ${len} bytes is too large`,
              b.subarray(at),
            );
            disabled = true;
            return;
          }
          // A big PUBLISH: decode its head (topic) and skip the rest unbuffered.
          const head = Math.min(b.length - at, MAX_PACKET);
          if (head < Math.min(hdr + len, 4096)) break;
          const headBytes = b.subarray(at, at + head);
          const r = decodeMqttPacket(headBytes, fromClient, version);
          if (r && !("error" in r)) {
            r.fields.payloadLength = String(Number(r.fields.payloadLength) + hdr + len - head);
            report.event({ action: r.action, fromClient, fields: r.fields });
          }
          skip[side] = hdr + len - head;
          at += head;
          const more = Math.min(skip[side], b.length - at);
          skip[side] -= more;
          at += more;
          continue;
        }
        if (b.length - at < hdr + len) break;
        const r = decodeMqttPacket(b.subarray(at, at + hdr + len), fromClient, version);
        if (r && "error" in r) {
          report.malformed(r.error, b.subarray(at, at + hdr + len));
        } else if (r) report.event({ action: r.action, fromClient, fields: r.fields });
        at += hdr + len;
      }
      b = b.subarray(at);
      bufs[side] = b.length ? b.slice() : new Uint8Array(0);
    },
    gap(fromClient) {
      const side = fromClient ? "client" : "server";
      bufs[side] = new Uint8Array(0);
      skip[side] = 0;
    },
  };
}
