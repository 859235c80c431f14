// Offline checks of the CRD files against the conventions the API promises:
// the kinds table matches them, every field is documented (kubectl explain is
// the manual), everything is bounded (etcd size, CEL cost), printer columns
// point at real fields, and the examples only name loopback addresses.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { compilePattern } from "../runtime/pattern.ts";
import {
  API_VERSION,
  CATEGORY,
  crdDir,
  crdFile,
  type Device,
  GROUP,
  type KindName,
  kindInfo,
  kinds,
  loadCrd,
  type OpenApiSchema,
  readCrd,
  UnknownKindError,
  VERSION,
} from "./index.ts";

const examplesDir = join(import.meta.dirname, "../examples");

/** Every schema node under `node`, with its path (`[]` for list items, `{}` for map values). */
function* walk(node: OpenApiSchema, path: string): Generator<[string, OpenApiSchema]> {
  yield [path, node];
  for (const [key, child] of Object.entries(node.properties ?? {}))
    yield* walk(child, `${path}.${key}`);
  if (node.items) yield* walk(node.items, `${path}[]`);
  if (typeof node.additionalProperties === "object")
    yield* walk(node.additionalProperties, `${path}{}`);
}

async function schemaOf(kind: KindName): Promise<OpenApiSchema> {
  const crd = await readCrd(kind);
  const schema = crd.spec.versions.find((v) => v.name === VERSION)?.schema.openAPIV3Schema;
  assert.ok(schema, `${kind}: no openAPIV3Schema`);
  return schema;
}

describe("CRD files", () => {
  it("match the kinds table, one file per kind", async () => {
    const files = (await readdir(crdDir)).filter((f) => f.endsWith(".yaml")).sort();
    assert.deepEqual(files, kinds.map((k) => `${GROUP}_${k.plural}.yaml`).sort());
    for (const info of kinds) {
      const crd = await readCrd(info.kind);
      assert.equal(crd.metadata?.name, `${info.plural}.${info.group}`);
      assert.equal(crd.spec.group, info.group);
      assert.equal(crd.spec.names.kind, info.kind);
      assert.equal(crd.spec.names.plural, info.plural);
      assert.equal(crd.spec.scope, info.namespaced ? "Namespaced" : "Cluster");
      assert.deepEqual(crd.spec.names.categories, [CATEGORY]);
      assert.ok(crd.spec.names.shortNames?.length, `${info.kind} has no short name`);
      assert.deepEqual(
        crd.spec.versions.map((v) => [v.name, v.served, v.storage]),
        [[info.version, true, true]],
      );
      assert.deepEqual(crd.spec.versions[0]?.subresources, { status: {} });
    }
  });

  it("kindInfo knows every kind and refuses others", () => {
    assert.equal(kindInfo("Finding").plural, "findings");
    assert.equal(API_VERSION, "amoskys.io/v1alpha1");
    assert.throws(() => kindInfo("Gadget"), UnknownKindError);
    assert.match(crdFile("Device"), /crds\/amoskys\.io_devices\.yaml$/);
  });

  it("loadCrd renames schema fields to client-node's model names, values untouched", async () => {
    const model = await loadCrd("Device");
    const spec = model.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec;
    assert.ok(spec);
    assert.equal(spec.x_kubernetes_validations?.[0]?.message?.startsWith("at least one"), true);
    assert.deepEqual(spec.properties?.criticality?._enum, ["low", "medium", "high", "critical"]);
    assert.equal(spec.properties?.criticality?._default, "medium");
    const registers = spec.properties?.modbus?.properties?.registers;
    assert.deepEqual(registers?.x_kubernetes_list_map_keys, ["name"]);
    // client-node sends `items` (typed any) as it is: below it, the wire names stay.
    assert.equal(registers?.items?.properties?.type?.enum?.length, 6);
    assert.equal(registers?.items?.["x-kubernetes-validations"]?.length, 3);
    // A field named like a schema keyword stays a field.
    assert.ok(spec.properties?.type);
    assert.equal("enum" in (spec.properties?.criticality ?? {}), false);
  });

  for (const { kind } of kinds) {
    it(`${kind}: every field has a description`, async () => {
      const undocumented: string[] = [];
      for (const [path, node] of walk(await schemaOf(kind), kind)) {
        // List items and map values are described by their list or map.
        if (path.endsWith("[]") || path.endsWith("{}")) continue;
        if (!node.description?.trim()) undocumented.push(path);
      }
      assert.deepEqual(undocumented, []);
    });

    it(`${kind}: every string, list and map is bounded`, async () => {
      const unbounded: string[] = [];
      for (const [path, node] of walk(await schemaOf(kind), kind)) {
        if (node.type === "string" && node.maxLength === undefined && !node.enum && !node.format)
          unbounded.push(`${path} (string without maxLength)`);
        if (node.type === "array" && node.maxItems === undefined)
          unbounded.push(`${path} (list without maxItems)`);
        if (typeof node.additionalProperties === "object" && node.maxProperties === undefined)
          unbounded.push(`${path} (map without maxProperties)`);
      }
      assert.deepEqual(unbounded, []);
    });

    it(`${kind}: printer columns name fields of the schema`, async () => {
      const crd = await readCrd(kind);
      const columns = crd.spec.versions[0]?.additionalPrinterColumns ?? [];
      assert.equal(columns.at(-1)?.name, "Age");
      const paths = new Set(
        [...walk(await schemaOf(kind), "")].map(([p]) => p.replaceAll("[]", "")),
      );
      for (const c of columns) {
        if (c.jsonPath === ".metadata.creationTimestamp") continue;
        const path = c.jsonPath.replace(/\[\?\(.*?\)\]/g, "");
        assert.ok(paths.has(path), `column ${c.name}: ${c.jsonPath} is not in the schema`);
      }
    });
  }

  it("use only patterns RE2 compiles (the apiserver's Go regexp; amoskys up checks with RE2 too)", async () => {
    let n = 0;
    for (const k of kinds)
      for (const [path, node] of walk(await schemaOf(k.kind), ""))
        if (node.pattern !== undefined) {
          n++;
          const c = compilePattern(node.pattern);
          assert.ok(c.ok, `${k.kind}${path}: ${c.ok || c.reason}`);
        }
    assert.ok(n >= 10, `${n} patterns`);
  });

  it("uses one schema for status.conditions in every kind that has them", async () => {
    const conditions = await Promise.all(
      kinds.map(async (k) => (await schemaOf(k.kind)).properties?.status?.properties?.conditions),
    );
    const present = conditions.filter((c) => c !== undefined);
    assert.equal(present.length, kinds.length - 1); // a Finding has none
    for (const c of present) {
      assert.deepEqual(c.items, present[0]?.items);
      assert.deepEqual(c["x-kubernetes-list-map-keys"], ["type"]);
    }
  });
});

describe("examples", () => {
  async function exampleDocs(): Promise<{ file: string; doc: Record<string, unknown> }[]> {
    const out: { file: string; doc: Record<string, unknown> }[] = [];
    for (const dir of ["devices", "profiles"]) {
      for (const f of (await readdir(join(examplesDir, dir))).sort()) {
        const text = await readFile(join(examplesDir, dir, f), "utf8");
        for (const d of parseAllDocuments(text)) {
          assert.deepEqual(d.errors, [], `${dir}/${f}`);
          out.push({ file: `${dir}/${f}`, doc: d.toJS() });
        }
      }
    }
    return out;
  }

  it("have a Device per protocol family and a default CollectorProfile", async () => {
    const docs = await exampleDocs();
    const specs = docs
      .filter((d) => d.doc.kind === "Device")
      .map((d) => d.doc.spec as Record<string, unknown>);
    for (const protocol of ["snmp", "modbus", "mqtt", "syslog", "hl7"]) {
      assert.ok(
        specs.some((s) => protocol in s),
        `no example Device uses ${protocol}`,
      );
    }
    assert.ok(
      docs.some((d) => d.file === "profiles/default.yaml" && d.doc.kind === "CollectorProfile"),
    );
  });

  it("name only kinds of this API (or Secrets), and Devices only on loopback", async () => {
    for (const { file, doc } of await exampleDocs()) {
      if (doc.kind === "Secret") continue;
      assert.equal(doc.apiVersion, API_VERSION, file);
      kindInfo(String(doc.kind));
      if (doc.kind !== "Device") continue;
      const spec = doc.spec as Device["spec"];
      const addresses = [
        spec.address,
        spec.flows?.exporterAddress,
        ...(spec.syslog?.sourceAddresses ?? []),
        ...(spec.hl7?.sourceAddresses ?? []),
        ...(spec.modbus?.allowedWriters ?? []),
        spec.mqtt && new URL(spec.mqtt.brokerUrl).hostname,
        spec.fhir && new URL(spec.fhir.baseUrl).hostname,
      ];
      for (const a of addresses.filter((a) => a !== undefined))
        assert.match(String(a), /^127\.\d+\.\d+\.\d+(\/\d+)?$/, `${file}: ${a} is not on loopback`);
    }
  });
});
