// Wrote proto/testdata/vectors.json ONCE. The vectors are a contract: other
// implementations (and future versions of this one) must reproduce them byte
// for byte, so this script is not part of the build and the test never runs it.
// Running it again is only right for a new schema version, in a new file.
//
//   node proto/testdata/make-vectors.ts > proto/testdata/vectors.json
import { createHash } from "node:crypto";
import { encodeEvents, type TelemetryEvent, v1 } from "../codec.ts";
import { BatchSigner } from "../sign-batch.ts";
import {
  Compression,
  keyIdOf,
  privateKeyFromSeed,
  rawPublicKey,
  signingInput,
} from "../signing.ts";

// Fixed, public test keys: SHA-256 of a label. Never use them for anything else.
const seedA = createHash("sha256").update("amoskys golden vector key A").digest();
const seedB = createHash("sha256").update("amoskys golden vector key B").digest();

const events: TelemetryEvent[] = [
  {
    id: "plc-7/modbus/hr/40001/1767225600000",
    device: { namespace: "plant-1", name: "plc-7", address: "127.0.0.1:502" },
    observed: { seconds: 1767225600, nanos: 0 },
    collected: { seconds: 1767225600, nanos: 1500000 },
    source: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS,
    metric: {
      name: "modbus.hr.0",
      value: 21.5,
      unit: "Cel",
      kind: v1.MetricKind.METRIC_KIND_GAUGE,
      labels: { register: "40001", type: "float32" },
    },
  },
  {
    id: "switch-3/syslog/1767225601000/0",
    device: { namespace: "plant-1", name: "switch-3", address: "127.0.0.1" },
    observed: { seconds: 1767225601, nanos: 0 },
    collected: { seconds: 1767225601, nanos: 2000000 },
    source: v1.SourceProtocol.SOURCE_PROTOCOL_SYSLOG,
    log: {
      format: v1.SyslogFormat.SYSLOG_FORMAT_RFC5424,
      facility: 4,
      severity: 5,
      hostname: "switch-3",
      appName: "sshd",
      procId: "4242",
      msgId: "AUTH",
      message: "Failed password for root from 127.0.0.9 port 50022 ssh2",
    },
  },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function vector(
  name: string,
  seed: Buffer,
  compression: Compression,
  sequence: number,
  prevHash: Uint8Array,
) {
  const key = privateKeyFromSeed(seed);
  const pub = rawPublicKey(key);
  const keyId = keyIdOf(pub);
  const createdUnixMs = 1767225602000;
  const signer = new BatchSigner({
    producerId: "plant-1/edge-collectors",
    keyId,
    privateKey: key,
    compression,
    state: { sequence: sequence - 1, prevHash },
    now: () => createdUnixMs,
  });
  const sealed = signer.seal(events);
  const batch = v1.SignedBatch.decode(sealed.bytes);
  return {
    name,
    seed: hex(seed),
    publicKey: hex(pub),
    header: {
      schemaVersion: batch.schemaVersion,
      producerId: batch.producerId,
      keyId,
      sequence,
      prevHash: hex(prevHash),
      createdUnixMs,
      compression,
    },
    telemetryBatch: hex(encodeEvents(events)),
    payload: hex(batch.payload),
    signingInput: hex(signingInput(batch, batch.payload)),
    signature: hex(batch.signature),
    batchHash: hex(sealed.hash),
    signedBatch: hex(sealed.bytes),
  };
}

const first = vector(
  "first batch of a chain, uncompressed",
  seedA,
  Compression.COMPRESSION_NONE,
  1,
  new Uint8Array(),
);
const second = vector(
  "second batch, chained to the first, gzip",
  seedA,
  Compression.COMPRESSION_GZIP,
  2,
  Buffer.from(first.batchHash, "hex"),
);
const rotated = vector(
  "another key of the producer (rotation)",
  seedB,
  Compression.COMPRESSION_NONE,
  1,
  new Uint8Array(),
);

console.log(
  JSON.stringify(
    {
      about:
        "AMOSKYS SignedBatch v1 golden vectors. See proto/README.md (Signing). Written once; never regenerate.",
      events: v1.TelemetryBatch.toObject(v1.TelemetryBatch.fromObject({ events }), {
        enums: String,
      }),
      vectors: [first, second, rotated],
    },
    null,
    2,
  ),
);
