// The FHIR poller against a real HTTPS server (node:https, fhir-test-server.ts)
// serving the real example resources of ../shared/testdata/health/fhir
// (microsoft/fhir-server TestFiles @14f52857e323, MIT, copies of the HL7 FHIR
// spec examples; see ../shared/testdata/SOURCES.md), with a certificate from
// the e2e harness CA (e2e/env/pki.ts). Expected values are read from the files.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CertificateAuthority } from "../../../e2e/env/pki.ts";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import type { AgentDevice, TelemetryEvent } from "../../collector.ts";
import { Capability, Source } from "../../events.ts";
import { type memorySink, testContext } from "../../testing.ts";
import { createFhirPoller } from "./fhir-poller.ts";
import { type FhirTestServer, startFhirTestServer } from "./fhir-test-server.ts";

const DATA = join(sharedDir, "testdata/health/fhir/fhir-server");
// biome-ignore lint/suspicious/noExplicitAny: example JSON
const example = async (f: string): Promise<any> =>
  JSON.parse((await readFile(join(DATA, f), "utf8")).replace(/^\uFEFF/, ""));

const TOKEN = "s3cret-test-token";
// A password with a colon and non-ASCII: RFC 7617 splits at the first colon, UTF-8.
const BASIC = { username: "clinician-7", password: "p:ss wörd-42" };
let dir: string;
let server: FhirTestServer;
let tokenFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "amoskys-fhir-"));
  server = await startFhirTestServer(dir, TOKEN, BASIC);
  tokenFile = join(dir, "token");
  await writeFile(tokenFile, `${TOKEN}\n`);
  // Served from the start: three Observations (two pages of 2), a Device, a DeviceMetric.
  for (const f of [
    "BloodPressure.json",
    "ObservationWithTemperature.json",
    "Weight.json",
    "Device-d1.json",
    "devicemetric-example.json",
  ]) {
    server.add(await example(f));
  }
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function device(
  auth: NonNullable<AgentDevice["fhir"]>["auth"],
  resources = ["Observation", "Device", "DeviceMetric"],
): AgentDevice {
  return {
    namespace: "ward-7",
    name: "ecg-1",
    address: "10.0.0.7",
    type: "medical",
    subject: "amoskys.telemetry.ward-7.ecg-1",
    fhir: {
      baseUrl: server.baseUrl,
      resources,
      deviceIdentifier: "http://goodcare.org/devices/id|345675",
      intervalSeconds: 300,
      auth,
    },
  };
}

const clinical = (events: TelemetryEvent[]) => events.filter((e) => e.clinical);
const statuses = (events: TelemetryEvent[]) => events.filter((e) => e.status);

test("two polls collect every Observation exactly once, following next links, with the cursor", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(device({ tokenFile, caFile: server.caFile }), ctx);
  const before1 = server.requests.length;
  await poller.pollNow();

  const obsRequests = server.requests.slice(before1).filter((r) => r.path === "/fhir/Observation");
  assert.equal(obsRequests.length, 2, "3 Observations at 2 per page: two pages");
  const first = obsRequests[0]?.query;
  assert.equal(first?.get("_sort"), "_lastUpdated");
  assert.equal(first?.get("_lastUpdated"), null, "no cursor yet");
  assert.equal(first?.get("device.identifier"), "http://goodcare.org/devices/id|345675");
  assert.equal(obsRequests[1]?.query.get("_offset"), "2");
  assert.ok(server.requests.slice(before1).every((r) => r.authorized));

  // Values equal the example files.
  const bp = await example("BloodPressure.json");
  const temp = await example("ObservationWithTemperature.json");
  const weight = await example("Weight.json");
  const got = clinical(sink.events).map((e) => e.clinical);
  assert.deepEqual(
    got.map((c) => [
      c?.sourceId,
      c?.code,
      c?.numericValue,
      c?.unit,
      c?.abnormalFlag,
      c?.resultStatus,
    ]),
    [
      [
        "blood-pressure",
        bp.component[0].code.coding[0].code,
        bp.component[0].valueQuantity.value,
        bp.component[0].valueQuantity.unit,
        bp.component[0].interpretation[0].coding[0].code,
        bp.status,
      ],
      [
        "blood-pressure",
        bp.component[1].code.coding[0].code,
        bp.component[1].valueQuantity.value,
        bp.component[1].valueQuantity.unit,
        bp.component[1].interpretation[0].coding[0].code,
        bp.status,
      ],
      [
        "f202",
        temp.code.coding[1].code,
        temp.valueQuantity.value,
        temp.valueQuantity.unit,
        temp.interpretation.coding[0].code,
        temp.status,
      ],
      [
        "srv-1",
        weight.code.coding[0].code,
        weight.valueQuantity.value,
        weight.valueQuantity.unit,
        "",
        weight.status,
      ],
    ],
  );
  const e0 = clinical(sink.events)[0];
  assert.equal(e0?.source, Source.SOURCE_PROTOCOL_FHIR);
  assert.deepEqual(e0?.device, {
    namespace: "ward-7",
    name: "ecg-1",
    address: `127.0.0.1:${server.port}`,
  });

  // Device and DeviceMetric as log records.
  const logs = sink.events.filter((e) => e.log).map((e) => e.log);
  assert.deepEqual(
    logs.map((l) => l?.msgId),
    ["Device", "DeviceMetric"],
  );
  assert.equal(logs[0]?.structuredData?.[0]?.params?.serialNumber, "AMID-342135-8464");
  assert.equal(logs[1]?.structuredData?.[0]?.params?.type, "urn:iso:std:iso:11073:10101|150456");

  const [s1] = statuses(sink.events);
  assert.equal(s1?.status?.capability, Capability.CAPABILITY_REAL);
  assert.equal(s1?.status?.reachable, true);
  const cursor = poller.cursors().Observation;
  assert.ok(cursor);

  // A new Observation arrives; the second poll asks only for what is newer.
  const f001 = await example("Observation-For-Patient-f001.json");
  server.add(f001);
  const before2 = server.requests.length;
  await poller.pollNow();
  const q2 = server.requests.slice(before2).find((r) => r.path === "/fhir/Observation")?.query;
  assert.equal(q2?.get("_lastUpdated"), `gt${cursor}`);
  const all = clinical(sink.events);
  assert.equal(all.length, 5);
  const last = all[4]?.clinical;
  assert.equal(last?.sourceId, "f001");
  assert.equal(last?.code, f001.code.coding[0].code);
  assert.equal(last?.numericValue, f001.valueQuantity.value);
  assert.equal(
    last?.referenceRange,
    `${f001.referenceRange[0].low.value}-${f001.referenceRange[0].high.value}`,
  );
  assert.equal(last?.abnormalFlag, f001.interpretation.coding[0].code);
  // Each (resource, component) exactly once, and ids unique.
  const keys = all.map((e) => `${e.clinical?.sourceId}/${e.clinical?.code}`);
  assert.equal(new Set(keys).size, 5);
  assert.equal(new Set(all.map((e) => e.id)).size, 5);
  // Nothing changed in between: status not repeated, nothing new.
  assert.equal(statuses(sink.events).length, 1);
  await poller.pollNow();
  assert.equal(clinical(sink.events).length, 5);
});

test("pages per poll are bounded; the next poll continues from the cursor", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(
    device({ tokenFile, caFile: server.caFile }, ["Observation"]),
    ctx,
    { maxPages: 1 },
  );
  await poller.pollNow();
  assert.equal(clinical(sink.events).length, 3, "page 1: blood-pressure (2 components) and f202");
  await poller.pollNow();
  await poller.pollNow();
  const ids = clinical(sink.events).map((e) => e.clinical?.sourceId);
  assert.deepEqual(ids, ["blood-pressure", "blood-pressure", "f202", "srv-1", "f001"]);
});

test("a next link to another origin is not followed", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(
    device({ tokenFile, caFile: server.caFile }, ["Observation"]),
    ctx,
  );
  server.hostileNext = true;
  try {
    const before = server.requests.length;
    await poller.pollNow();
    const hosts = server.requests.slice(before).map((r) => r.host);
    assert.deepEqual(hosts, [`127.0.0.1:${server.port}`], "only the first page, never localhost");
  } finally {
    server.hostileNext = false;
  }
  assert.equal(clinical(sink.events).length, 3);
  assert.equal(sink.events.find((e) => e.malformed)?.malformed?.reason, "foreign_next_link");
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
  assert.match(s?.status?.reason ?? "", /next link to another origin/);
  const metric = await ctx.registry.getSingleMetricAsString("amoskys_agent_malformed_total");
  assert.match(metric, /protocol="fhir",reason="foreign_next_link"} 1/);
});

test("a refused token (401) gives BLIND with the reason", async () => {
  const bad = join(dir, "bad-token");
  await writeFile(bad, "wrong-token\n");
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(device({ tokenFile: bad, caFile: server.caFile }), ctx);
  await poller.pollNow();
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
  assert.equal(s?.status?.reachable, true);
  assert.equal(
    s?.status?.reason,
    "Observation, Device, DeviceMetric search: HTTP 401 (the bearer token was refused)",
  );
  assert.equal(clinical(sink.events).length, 0);
  // The token never appears in what is emitted.
  assert.doesNotMatch(JSON.stringify(sink.events), /wrong-token/);
});

/** Writes the basic-auth Secret files as the projected volume would. */
async function basicFiles(sub: string, username: string, password: string) {
  await mkdir(join(dir, sub));
  const usernameFile = join(dir, sub, "username");
  const passwordFile = join(dir, sub, "password");
  await writeFile(usernameFile, username);
  await writeFile(passwordFile, `${password}\n`);
  return { usernameFile, passwordFile, caFile: server.caFile };
}

test("basic auth collects the example Observations with Authorization: Basic", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const auth = await basicFiles("basic-ok", BASIC.username, BASIC.password);
  const poller = createFhirPoller(device(auth, ["Observation"]), ctx);
  const before = server.requests.length;
  await poller.pollNow();
  const reqs = server.requests.slice(before);
  assert.ok(reqs.length >= 2, "the Observations span more than one page");
  assert.ok(reqs.every((r) => r.scheme === "basic" && r.authorized));

  // The first three stored Observations, in _lastUpdated order, equal the example files.
  const bp = await example("BloodPressure.json");
  const temp = await example("ObservationWithTemperature.json");
  const weight = await example("Weight.json");
  const got = clinical(sink.events).map((e) => e.clinical);
  assert.deepEqual(
    got.slice(0, 4).map((c) => [c?.sourceId, c?.code, c?.numericValue, c?.unit]),
    [
      [
        "blood-pressure",
        bp.component[0].code.coding[0].code,
        bp.component[0].valueQuantity.value,
        bp.component[0].valueQuantity.unit,
      ],
      [
        "blood-pressure",
        bp.component[1].code.coding[0].code,
        bp.component[1].valueQuantity.value,
        bp.component[1].valueQuantity.unit,
      ],
      ["f202", temp.code.coding[1].code, temp.valueQuantity.value, temp.valueQuantity.unit],
      ["srv-1", weight.code.coding[0].code, weight.valueQuantity.value, weight.valueQuantity.unit],
    ],
  );
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_REAL);
  // The credentials never appear in what is emitted.
  const emitted = JSON.stringify(sink.events);
  assert.doesNotMatch(emitted, /p:ss|clinician-7/);
  assert.doesNotMatch(
    emitted,
    new RegExp(Buffer.from(`${BASIC.username}:`).toString("base64").slice(0, 12)),
  );
});

test("a refused basic-auth password (401) gives BLIND with the reason", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const auth = await basicFiles("basic-bad", BASIC.username, "wrong-password");
  const poller = createFhirPoller(device(auth, ["Observation"]), ctx);
  const before = server.requests.length;
  await poller.pollNow();
  const reqs = server.requests.slice(before);
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0]?.scheme, "basic");
  assert.equal(reqs[0]?.authorized, false);
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
  assert.equal(s?.status?.reachable, true);
  assert.equal(
    s?.status?.reason,
    "Observation search: HTTP 401 (the basic-auth user name or password was refused)",
  );
  assert.equal(clinical(sink.events).length, 0);
  assert.doesNotMatch(JSON.stringify(sink.events), /wrong-password|clinician-7/);
});

test("a basic-auth user name with a colon is refused before any request", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const auth = await basicFiles("basic-colon", "clinician:7", BASIC.password);
  const before = server.requests.length;
  await createFhirPoller(device(auth, ["Observation"]), ctx).pollNow();
  assert.equal(server.requests.length, before, "nothing sent");
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
  assert.equal(s?.status?.reason, "the basic-auth user name contains a colon");
});

test("a certificate from another CA gives BLIND with the TLS reason", async () => {
  await mkdir(join(dir, "other-ca"));
  const other = await CertificateAuthority.create(join(dir, "other-ca"), "Other CA");
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(device({ tokenFile, caFile: other.cert }), ctx);
  const before = server.requests.length;
  await poller.pollNow();
  const [s] = statuses(sink.events);
  assert.equal(s?.status?.capability, Capability.CAPABILITY_BLIND);
  assert.equal(s?.status?.reachable, false);
  assert.match(
    s?.status?.reason ?? "",
    /search: TLS verification failed: unable to verify the first certificate \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/,
  );
  assert.equal(server.requests.length, before, "no request got through");

  // Back to the right CA: the status changes to REAL and is emitted again.
  const fixed = createFhirPoller(device({ tokenFile, caFile: server.caFile }), ctx);
  await fixed.pollNow();
  assert.equal(statuses(sink.events).at(-1)?.status?.capability, Capability.CAPABILITY_REAL);
});

test("start() polls at once; stop() ends it", async () => {
  const ctx = testContext();
  const sink = ctx.sink as ReturnType<typeof memorySink>;
  const poller = createFhirPoller(
    device({ tokenFile, caFile: server.caFile }, ["DeviceMetric"]),
    ctx,
  );
  await poller.start();
  try {
    await sink.waitFor(1, (e) => !!e.status);
  } finally {
    await poller.stop();
  }
  assert.equal(sink.events.filter((e) => e.log?.msgId === "DeviceMetric").length, 1);
});

test("start() refuses a cleartext base URL that is not loopback", async () => {
  const d = device({ tokenFile, caFile: server.caFile });
  if (d.fhir) d.fhir.baseUrl = "http://fhir.example.org/r4";
  // Nothing is sent: start() checks the URL before any request.
  await assert.rejects(
    createFhirPoller(d, testContext()).start(),
    /https:\/\/ \(http:\/\/ only on loopback\)/,
  );
});
