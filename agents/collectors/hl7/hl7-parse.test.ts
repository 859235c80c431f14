// The HL7 v2 parser against real messages and the answer key of a reference
// converter. Test data (../shared/testdata/SOURCES.md): microsoft/FHIR-Converter
// @70fd328e0501, MIT — data/SampleData/Hl7v2/*.hl7 and the FHIR Bundles its
// functional tests expect (TestData/Expected/Hl7v2/*-expected.json).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import { buildAck } from "./hl7-ack.ts";
import { interpret } from "./hl7-observations.ts";
import {
  defaultEncoding,
  type Hl7Message,
  parseHl7,
  parseHl7Timestamp,
  unescapeHl7,
} from "./hl7-parse.ts";

const DIR = join(sharedDir, "testdata/health/hl7v2/fhir-converter");
const read = (f: string) => readFileSync(join(DIR, f), "utf8");

function parsed(text: string): Hl7Message {
  const p = parseHl7(text);
  assert.ok(p.ok, p.ok ? "" : `${p.reason}: ${p.detail}`);
  return p.message;
}

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON from the answer key
type Json = any;

/** The converter's Observations, in bundle order (= OBX order). */
function expectedObservations(file: string): Json[] {
  const bundle = JSON.parse(read(file).replace(/^\uFEFF/, ""));
  return bundle.entry
    .map((e: Json) => e.resource)
    .filter((r: Json) => r.resourceType === "Observation");
}

function statusExtension(o: Json): string | undefined {
  const ext = (o.extension ?? []).find((e: Json) => e.url.endsWith("/Observation_Status"));
  return ext?.valueCodeableConcept?.coding?.[0]?.code;
}

for (const name of ["LAB-ORU-1", "ORU-R01-RMGEAD"]) {
  test(`${name}: observations match the FHIR-Converter answer key`, () => {
    const msg = parsed(read(`${name}.hl7`));
    const { observations, issues } = interpret(msg);
    const expected = expectedObservations(`${name}-expected.json`);
    assert.equal(issues.length, 0);
    assert.equal(observations.length, expected.length);
    for (const [i, want] of expected.entries()) {
      const got = observations[i];
      assert.ok(got);
      const coding = want.code.coding[0];
      assert.equal(got.code, coding.code, `obs ${i} code`);
      assert.equal(got.display, coding.display, `obs ${i} display`);
      if (coding.system === "http://loinc.org") {
        assert.equal(got.codeSystem, "http://loinc.org");
      } else {
        // RMGEAD's OBX-3.3 is a free-text description, not a table 0396 code:
        // the converter turns it into an example.com URL; we keep it as sent.
        assert.equal(
          coding.system,
          `http://example.com/v2-to-fhir-converter/CodeSystem/${got.codeSystem.replaceAll(" ", "-")}`,
        );
      }
      if (want.valueQuantity) {
        assert.equal(got.numericValue, want.valueQuantity.value, `obs ${i} value`);
        assert.equal(got.unit, want.valueQuantity.unit, `obs ${i} unit`);
      } else {
        // OBX-5 empty (results still in process): no value on either side.
        assert.equal(got.value, "");
        assert.equal(got.numericValue, undefined);
      }
      assert.equal(got.referenceRange, want.referenceRange?.[0]?.text ?? "", `obs ${i} range`);
      assert.equal(
        got.abnormalFlag,
        want.interpretation?.[0]?.coding?.[0]?.code ?? "",
        `obs ${i} abnormal flag`,
      );
      // The converter maps OBX-11 to a FHIR status (I -> unknown) and keeps
      // the v2 code in an extension; ours is the v2 code.
      assert.equal(got.resultStatus, statusExtension(want), `obs ${i} status`);
      if (want.effectiveDateTime) {
        assert.equal(got.observedMs, Date.parse(want.effectiveDateTime), `obs ${i} time`);
      }
    }
  });
}

test("ORU-R01-RMGEAD: SN ^182 is the number 182; time falls back to OBR-7", () => {
  const msg = parsed(read("ORU-R01-RMGEAD.hl7"));
  const { info, observations } = interpret(msg);
  assert.equal(info.controlId, "CNTRL-3456");
  assert.equal(info.sendingApplication.namespaceId, "GHH LAB");
  assert.equal(info.sendingFacility.namespaceId, "ELAB-3");
  const [glucose] = observations;
  assert.equal(glucose?.valueType, "SN");
  assert.equal(glucose?.value, "182");
  // No OBX-14: the converter gives the time only on the DiagnosticReport (from OBR-7).
  const report = JSON.parse(read("ORU-R01-RMGEAD-expected.json")).entry.find(
    (e: Json) => e.resource.resourceType === "DiagnosticReport",
  ).resource;
  assert.equal(glucose?.observedMs, Date.parse(report.effectiveDateTime));
});

test("LAB-ORU-1: an OBX without OBX-14 or OBR-7 takes MSH-7", () => {
  const { observations } = interpret(parsed(read("LAB-ORU-1.hl7")));
  // OBX|1|NM|11156-7^LEUKOCYTES^LN||||||||I| under an OBR with empty OBR-7; MSH-7 20141006064500+0700.
  assert.equal(observations[0]?.observedMs, Date.parse("2014-10-06T06:45:00+07:00"));
});

test("ADT-A01-01 (v2.8): the heart-rate OBX with repetitions and escapes", () => {
  const msg = parsed(read("ADT-A01-01.hl7"));
  const { info, observations } = interpret(msg);
  assert.equal(info.controlId, "MSG00001");
  assert.equal(info.messageType, "ADT^A01^ADT_A01");
  assert.equal(info.sendingFacility.namespaceId, "GHHSFacility");
  assert.equal(info.sendingFacility.universalId, "2.16.840.1.122848.1.30");
  assert.equal(info.timeMs, Date.parse("1989-08-18T11:26:00+02:15"));
  assert.equal(observations.length, 1);
  const hr = observations[0];
  // OBX|27|NM|8867-4^heartrate^LN||60~120|beats/min^^ISO|70-80|A^A^HL7nnnn~B^B|||S|||19990702
  assert.equal(hr?.code, "8867-4");
  assert.equal(hr?.codeSystem, "http://loinc.org");
  assert.equal(hr?.display, "heartrate");
  assert.equal(hr?.value, "60~120");
  assert.equal(hr?.numericValue, undefined, "two repetitions are not one number");
  assert.equal(hr?.unit, "beats/min");
  assert.equal(hr?.referenceRange, "70-80");
  assert.equal(hr?.abnormalFlag, "A~B");
  assert.equal(hr?.resultStatus, "S");
  assert.equal(hr?.observedMs, Date.UTC(1999, 6, 2));
  // The file's \T\ escape (in a segment we do not map) parses without error.
  assert.ok(msg.segments.some((s) => s.raw.includes("\\T\\")));
});

test("ORU-R01-01 (v2.5.1): CWE, RP and NM values; an OBX without OBX-3 is an issue", () => {
  const { info, observations, issues } = interpret(parsed(read("ORU-R01-01.hl7")));
  assert.equal(info.controlId, "2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325");
  assert.deepEqual(
    observations.map((o) => [o.valueType, o.code, o.value, o.resultStatus]),
    [
      ["RP", "8867-4", "https://testurl.com^^SD^PICT", "F"],
      ["CWE", "625-4", "27268008^Salmonella^SCT^^^^^^Salmonella species", "P"],
      ["RP", "1063-7", "https://testurl.com^^image^PICT", "O"],
      ["NM", "8867-4", "27~25", "I"],
    ],
  );
  const cwe = observations[1];
  assert.equal(cwe?.codeSystem, "XYZ");
  assert.equal(cwe?.abnormalFlag, "A");
  assert.equal(cwe?.referenceRange, "70-80");
  // OBX-14 20120301 (date only, no offset: read as UTC).
  assert.equal(cwe?.observedMs, Date.UTC(2012, 2, 1));
  // OBX||ED|||App5^NS^Octet-stream^Base64| has no observation identifier.
  assert.deepEqual(
    issues.map((i) => i.reason),
    ["obx_missing_code"],
  );
  assert.match(issues[0]?.segment ?? "", /^OBX\|\|ED\|/);
});

test("ADT01-23: BOM, LF separators, trailing spaces; no OBX", () => {
  const text = read("ADT01-23.hl7");
  assert.equal(text.charCodeAt(0), 0xfeff);
  const msg = parsed(text);
  assert.deepEqual(msg.segments.map((s) => s.id).slice(0, 4), ["MSH", "EVN", "PID", "NK1"]);
  const { info, observations } = interpret(msg);
  assert.equal(info.controlId, "599102");
  assert.equal(info.version, "2.3");
  assert.equal(observations.length, 0);
});

test("CR, LF and CRLF separators give the same message", () => {
  const lf = read("LAB-ORU-1.hl7");
  const variants = [lf, lf.replaceAll("\n", "\r"), lf.replaceAll("\n", "\r\n")];
  const norms = variants.map((v) => parsed(v).normalized);
  assert.equal(new Set(norms).size, 1);
  assert.equal(parsed(variants[1] as string).segments.length, 16); // MSH PID (OBR 5×OBX SPM)×2
});

test("escape sequences", () => {
  const e = defaultEncoding();
  assert.equal(unescapeHl7("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", e), "a|b^c&d~e\\f");
  assert.equal(unescapeHl7("line1\\.br\\line2", e), "line1\nline2");
  assert.equal(unescapeHl7("\\X4F4B\\", e), "OK");
  assert.equal(unescapeHl7("\\H\\bold\\N\\", e), "bold");
  assert.equal(unescapeHl7("dangling \\F", e), "dangling \\F");
  // Other separators declared in MSH-2 are honoured.
  const msg = parsed(
    "MSH#*@!$#A#B#C#D#20200101##ORU*R01#42#P#2.5\rOBX#1#NM#X1*Ex!F!ample*L##5.5#u\r",
  );
  const [o] = interpret(msg).observations;
  assert.equal(o?.display, "Ex#ample");
  assert.equal(o?.numericValue, 5.5);
});

test("malformed messages fail with a reason", () => {
  const cases: [string, string][] = [
    ["", "empty"],
    ["PID|1||x", "missing_msh"],
    ["MSH|^^\\&|A", "bad_encoding_characters"],
    ["MSHA^~\\&", "bad_encoding_characters"],
    ["MSH|^~\\&|A|B|C|D|20200101||", "missing_message_type"],
    ["MSH|^~\\&|A|B|C|D|20200101||ORU^R01|", "missing_control_id"],
    ["MSH|^~\\&|A|B|C|D|20200101||ORU^R01|1\rob x|1", "bad_segment_id"],
    ["MSH|^~\\&|A|B|C|D|20200101||ORU^R01|1\rMSH|^~\\&|A", "multiple_msh"],
  ];
  for (const [text, reason] of cases) {
    const p = parseHl7(text);
    assert.equal(p.ok, false, text);
    if (!p.ok) assert.equal(p.reason, reason, text);
  }
});

test("HL7 timestamps", () => {
  assert.equal(parseHl7Timestamp("20141006062700+0700"), Date.parse("2014-10-06T06:27:00+07:00"));
  assert.equal(parseHl7Timestamp("198908181126+0215"), Date.parse("1989-08-18T11:26:00+02:15"));
  assert.equal(
    parseHl7Timestamp("20200101120000.1234-0500"),
    Date.parse("2020-01-01T17:00:00.123Z"),
  );
  assert.equal(parseHl7Timestamp("2002"), Date.UTC(2002, 0, 1));
  assert.equal(parseHl7Timestamp("20020231"), undefined);
  assert.equal(parseHl7Timestamp("20021301"), undefined);
  assert.equal(parseHl7Timestamp("yesterday"), undefined);
});

test("ACK: sender and receiver swapped, MSA echoes MSH-10, ERR on AE/AR", () => {
  const p = parseHl7(read("ORU-R01-RMGEAD.hl7"));
  assert.ok(p.ok);
  const aa = buildAck({ code: "AA", header: p.header, nowMs: Date.UTC(2024, 0, 2, 3, 4, 5) });
  const [msh, msa, ...rest] = aa.split("\r").filter(Boolean);
  assert.equal(
    msh?.split("|").slice(0, 7).join("|"),
    "MSH|^~\\&|GHH OE|BLDG4|GHH LAB|ELAB-3|20240102030405+0000",
  );
  assert.equal(msh?.split("|")[8], "ACK^R01^ACK");
  assert.equal(msh?.split("|")[11], "2.4");
  assert.equal(msa, "MSA|AA|CNTRL-3456|");
  assert.equal(rest.length, 0);
  const ar = buildAck({
    code: "AR",
    header: p.header,
    reason: "unknown source 10.0.0.1|x",
    nowMs: 0,
  });
  const lines = ar.split("\r");
  assert.equal(lines[1], "MSA|AR|CNTRL-3456|unknown source 10.0.0.1\\F\\x");
  assert.match(lines[2] ?? "", /^ERR\|\|\|207\^Application internal error\^HL70357\|E\|/);
});
