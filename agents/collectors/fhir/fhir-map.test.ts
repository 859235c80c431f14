// The FHIR resource mapper against the real example resources
// (../shared/testdata/SOURCES.md): microsoft/fhir-server TestFiles @14f52857e323
// (MIT; copies of the HL7 FHIR spec examples, CC0) and microsoft/FHIR-Converter
// data/SampleData/FHIR/ObservationBundle.json @70fd328e0501 (MIT). Expected
// values are read from the files themselves or quoted from SOURCES.md.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import {
  type ClinicalFacts,
  type LogFacts,
  mapResource,
  parseFhirTime,
  parseSearchPage,
} from "./fhir-map.ts";

const DIR = join(sharedDir, "testdata/health/fhir");
const bytes = (f: string) => readFileSync(join(DIR, f));
// biome-ignore lint/suspicious/noExplicitAny: example JSON
const json = (f: string): any =>
  JSON.parse(
    bytes(f)
      .toString("utf8")
      .replace(/^\uFEFF/, ""),
  );

function clinical(r: unknown): ClinicalFacts[] {
  const m = mapResource(r);
  assert.equal(m.kind, "clinical", JSON.stringify(m));
  return m.kind === "clinical" ? m.facts : [];
}
function logOf(r: unknown): LogFacts {
  const m = mapResource(r);
  assert.equal(m.kind, "log");
  if (m.kind !== "log") throw new Error("not a log");
  return m.facts;
}

test("Observation f001 (ObservationBundle.json): glucose 6.3 mmol/L, H, range 3.1-6.2", () => {
  const bundle = json("fhir-converter/ObservationBundle.json");
  const obs = bundle.entry
    .map((e: { resource?: unknown }) => e.resource)
    .find((r: { resourceType?: string } | undefined) => r?.resourceType === "Observation");
  const [f] = clinical(obs);
  assert.deepEqual(
    { ...f },
    {
      resourceType: "Observation",
      id: "f001",
      version: "",
      component: -1,
      codeSystem: "http://loinc.org",
      code: "15074-8",
      display: "Glucose [Moles/volume] in Blood",
      value: "6.3",
      numericValue: 6.3,
      unit: "mmol/l",
      referenceRange: "3.1-6.2",
      abnormalFlag: "H",
      resultStatus: "final",
      observedMs: Date.parse("2013-04-02T09:30:10+01:00"),
    },
  );
});

test("Observation-For-Patient-f001: STU3-style interpretation object, effectivePeriod", () => {
  const [f] = clinical(json("fhir-server/Observation-For-Patient-f001.json"));
  assert.equal(f?.abnormalFlag, "H");
  assert.equal(f?.numericValue, 6.3);
  assert.equal(f?.referenceRange, "3.1-6.2");
  assert.equal(f?.observedMs, Date.parse("2013-04-02T09:30:10+01:00"));
});

test("BloodPressure: one observation per component (systolic 107 N, diastolic 60 L)", () => {
  const facts = clinical(json("fhir-server/BloodPressure.json"));
  assert.deepEqual(
    facts.map((f) => [
      f.component,
      f.codeSystem,
      f.code,
      f.numericValue,
      f.unit,
      f.abnormalFlag,
      f.resultStatus,
    ]),
    [
      [0, "http://loinc.org", "8480-6", 107, "mmHg", "N", "final"],
      [1, "http://loinc.org", "8462-4", 60, "mmHg", "L", "final"],
    ],
  );
  assert.ok(
    facts.every((f) => f.id === "blood-pressure" && f.observedMs === Date.UTC(2012, 8, 17)),
  );
});

test("ObservationWithTemperature: the LOINC coding is preferred; high-only range; issued time", () => {
  const [f] = clinical(json("fhir-server/ObservationWithTemperature.json"));
  assert.equal(f?.code, "8310-5");
  assert.equal(f?.display, "Body temperature");
  assert.equal(f?.numericValue, 39);
  assert.equal(f?.unit, "degrees C");
  assert.equal(f?.abnormalFlag, "H");
  assert.equal(f?.referenceRange, "<=38.2");
  assert.equal(f?.resultStatus, "entered-in-error");
  assert.equal(f?.observedMs, Date.parse("2013-04-04T13:27:00+01:00"));
});

test("Weight: 67 kg, LOINC 29463-7, no id in the file", () => {
  const [f] = clinical(json("fhir-server/Weight.json"));
  assert.equal(f?.code, "29463-7");
  assert.equal(f?.numericValue, 67);
  assert.equal(f?.unit, "kg");
  assert.equal(f?.id, "");
  assert.equal(f?.observedMs, Date.UTC(2016, 2, 28));
});

test("Device d1 → log record: ECG monitor, serial, manufacturer, status", () => {
  const f = logOf(json("fhir-server/Device-d1.json"));
  assert.deepEqual(f.params, {
    status: "active",
    type: "http://snomed.info/sct|86184003",
    typeDisplay: "Electrocardiographic monitor and recorder",
    manufacturer: "Acme Devices, Inc",
    lotNumber: "43453424",
    serialNumber: "AMID-342135-8464",
  });
  assert.equal(f.severity, 6);
  assert.match(
    f.message,
    /^Device d1 \(Electrocardiographic monitor and recorder, Acme Devices, Inc, serial AMID-342135-8464\) status active$/,
  );
});

test("DeviceMetric example → log record: SpO2 metric on, calibrated", () => {
  const f = logOf(json("fhir-server/devicemetric-example.json"));
  assert.deepEqual(f.params, {
    type: "urn:iso:std:iso:11073:10101|150456",
    typeDisplay: "MDC_PULS_OXIM_SAT_O2",
    unit: "urn:iso:std:iso:11073:10101|262688",
    unitDisplay: "MDC_DIM_PERCENT",
    operationalStatus: "on",
    category: "measurement",
    color: "blue",
    source: "Device/dev1",
    calibrationType: "two-point",
    calibrationState: "calibrated",
    calibrationTime: "2016-12-28T09:03:04-05:00",
  });
  assert.equal(f.observedMs, Date.parse("2016-12-28T09:03:04-05:00"));
});

test("a Bundle that is not a searchset is malformed; Patients are never sampled", () => {
  const tx = parseSearchPage(bytes("fhir-server/Bundle-Transaction.json"), "Observation");
  assert.equal(tx.ok, false);
  if (!tx.ok) {
    assert.equal(tx.malformed.reason, "bundle_type");
    assert.equal(tx.malformed.sample, "transaction");
  }
  const batch = parseSearchPage(bytes("fhir-converter/ObservationBundle.json"), "Observation");
  assert.equal(batch.ok, false);
  // Turned into a searchset, its Patient entry is a wrong type whose sample is only the type.
  const b = json("fhir-converter/ObservationBundle.json");
  b.type = "searchset";
  const page = parseSearchPage(Buffer.from(JSON.stringify(b)), "Observation");
  assert.ok(page.ok);
  if (page.ok) {
    assert.equal(page.resources.length, 1);
    assert.deepEqual(
      page.malformed.map((m) => [m.reason, m.sample]),
      [
        ["wrong_resource_type", "Patient"],
        ["bad_entry", ""], // the Encounter in this file sits on the entry itself, not in entry.resource
      ],
    );
  }
});

test("not JSON, not a Bundle, a resource of the wrong type", () => {
  const notJson = parseSearchPage(Buffer.from("<html>"), "Observation");
  assert.equal(notJson.ok ? "" : notJson.malformed.reason, "bad_json");
  const device = parseSearchPage(bytes("fhir-server/Device-d1.json"), "Device");
  assert.equal(device.ok ? "" : device.malformed.reason, "wrong_resource_type");
  const wrong = mapResource(json("fhir-converter/ObservationBundle.json"));
  assert.equal(wrong.kind === "malformed" ? wrong.malformed.reason : "", "wrong_resource_type");
});

test("FHIR times", () => {
  assert.equal(parseFhirTime("2012-09-17"), Date.UTC(2012, 8, 17));
  assert.equal(parseFhirTime("2016-03"), Date.UTC(2016, 2, 1));
  assert.equal(parseFhirTime("2013-04-02T09:30:10+01:00"), Date.UTC(2013, 3, 2, 8, 30, 10));
  assert.equal(parseFhirTime("2013-04-02 09:30"), undefined);
  assert.equal(parseFhirTime(42), undefined);
});
