// Test support: the Sparkplug specification's example payloads, and their
// protobuf encoding. The examples are
// ../shared/testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl,
// extracted from eclipse-sparkplug/sparkplug
// specification/src/main/asciidoc/chapters/Sparkplug_6_Payloads.adoc
// @e45b61002a2a (EPL-2.0; see ../shared/testdata/SOURCES.md). They are the
// answer key: the values in them are what the collector must decode.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { DataType, type DataTypeName, encodePayload, type SpMetric } from "./sparkplug-codec.ts";

export const EXAMPLES_FILE = join(
  sharedDir,
  "testdata/mqtt/sparkplug/sparkplug_spec_example_payloads.jsonl",
);

export interface ExampleMetric {
  name: string;
  timestamp?: number;
  dataType: DataTypeName;
  value: number | boolean | string;
}

export interface Example {
  topic: string;
  message_type: string;
  payload: { timestamp?: number; seq?: number; metrics?: ExampleMetric[] };
}

export function loadExamples(): Example[] {
  return readFileSync(EXAMPLES_FILE, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Example);
}

/** A metric in the JSON form of the spec to its protobuf fields (`alias` added, `name` dropped on request). */
export function toProtoMetric(
  m: ExampleMetric,
  opts: { alias?: number; withName?: boolean; withDatatype?: boolean } = {},
): SpMetric {
  const datatype = DataType[m.dataType];
  const out: SpMetric = {};
  if (opts.withName !== false) out.name = m.name;
  if (opts.alias !== undefined) out.alias = opts.alias;
  if (m.timestamp !== undefined) out.timestamp = m.timestamp;
  if (opts.withDatatype !== false) out.datatype = datatype;
  const v = m.value;
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32:
      out.intValue = (v as number) >>> 0;
      break;
    case DataType.Int64:
    case DataType.UInt64:
    case DataType.DateTime:
      out.longValue = v as number;
      break;
    case DataType.Float:
      out.floatValue = v as number;
      break;
    case DataType.Double:
      out.doubleValue = v as number;
      break;
    case DataType.Boolean:
      out.booleanValue = v as boolean;
      break;
    default:
      out.stringValue = String(v);
  }
  return out;
}

export function encodeExample(
  e: Example,
  opts: { seq?: number | null; aliases?: boolean; metrics?: SpMetric[] } = {},
): Uint8Array {
  const seq = opts.seq === undefined ? e.payload.seq : (opts.seq ?? undefined);
  return encodePayload({
    ...(e.payload.timestamp !== undefined && { timestamp: e.payload.timestamp }),
    ...(seq !== undefined && { seq }),
    metrics: opts.metrics ?? (e.payload.metrics ?? []).map((m) => toProtoMetric(m)),
  });
}
