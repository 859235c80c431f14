// The API contract: the kinds of group amoskys.io, their CustomResourceDefinitions
// (the hand-written crds/amoskys.io_<plural>.yaml) and their TypeScript types
// (crds/types.ts, generated from those files by `node crds/build.ts`).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type {
  V1CustomResourceDefinition,
  V1CustomResourceDefinitionSpec,
  V1CustomResourceDefinitionVersion,
  V1JSONSchemaProps,
} from "@kubernetes/client-node";
import { parse } from "yaml";
import type { CollectorProfile, DetectionRule, Device, DiscoveryScan, Finding } from "./types.ts";

export type * from "./types.ts";

export const GROUP = "amoskys.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
/** The category every kind is in: `kubectl get amoskys` lists them all. */
export const CATEGORY = "amoskys";

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** Every kind of the API. */
export const kinds = [
  { group: GROUP, version: VERSION, kind: "Device", plural: "devices", namespaced: true },
  {
    group: GROUP,
    version: VERSION,
    kind: "CollectorProfile",
    plural: "collectorprofiles",
    namespaced: true,
  },
  {
    group: GROUP,
    version: VERSION,
    kind: "DetectionRule",
    plural: "detectionrules",
    namespaced: true,
  },
  { group: GROUP, version: VERSION, kind: "Finding", plural: "findings", namespaced: true },
  {
    group: GROUP,
    version: VERSION,
    kind: "DiscoveryScan",
    plural: "discoveryscans",
    namespaced: true,
  },
] as const satisfies readonly KindInfo[];

export type KindName = (typeof kinds)[number]["kind"];

/** Any object of the API. */
export type AmoskysObject = Device | CollectorProfile | DetectionRule | Finding | DiscoveryScan;

export class UnknownKindError extends Error {
  override readonly name = "UnknownKindError";
  readonly kind: string;
  constructor(kind: string) {
    super(`unknown kind ${JSON.stringify(kind)} (known: ${kinds.map((k) => k.kind).join(", ")})`);
    this.kind = kind;
  }
}

/** The table entry of a kind; throws UnknownKindError for anything else. */
export function kindInfo(kind: string): (typeof kinds)[number] {
  const info = kinds.find((k) => k.kind === kind);
  if (!info) throw new UnknownKindError(kind);
  return info;
}

/** The folder of the CRD files. */
export const crdDir = import.meta.dirname;

/** Path of a kind's CRD file: crds/amoskys.io_<plural>.yaml. */
export function crdFile(kind: KindName): string {
  return join(crdDir, `${GROUP}_${kindInfo(kind).plural}.yaml`);
}

/** An OpenAPI v3 schema as a CRD file writes it (Kubernetes' JSON field names). */
export interface OpenApiSchema {
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: boolean | OpenApiSchema;
  anyOf?: OpenApiSchema[];
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  "x-kubernetes-validations"?: {
    rule: string;
    message?: string;
    fieldPath?: string;
    reason?: string;
  }[];
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-int-or-string"?: boolean;
}

/** A CRD as its file writes it: plain JSON, ready for kubectl or a raw request body. */
export type CrdManifest = Omit<V1CustomResourceDefinition, "spec"> & {
  spec: Omit<V1CustomResourceDefinitionSpec, "versions"> & {
    versions: (Omit<V1CustomResourceDefinitionVersion, "schema"> & {
      schema: { openAPIV3Schema: OpenApiSchema };
    })[];
  };
};

/** A kind's CRD exactly as in its YAML file (Kubernetes' field names: `enum`, `x-kubernetes-validations`). */
export async function readCrd(kind: KindName): Promise<CrdManifest> {
  return parse(await readFile(crdFile(kind), "utf8")) as CrdManifest;
}

/**
 * A kind's CRD as a @kubernetes/client-node model, for its typed clients
 * (`ApiextensionsV1Api.createCustomResourceDefinition({ body })`). Those
 * serialize models by property name, and V1JSONSchemaProps names some fields
 * differently from the wire (`_enum`, `_default`, `x_kubernetes_validations`,
 * ...): handing them readCrd()'s plain JSON would silently drop enums,
 * defaults and CEL rules. (crds.test.ts checks the result against the file.)
 */
export async function loadCrd(kind: KindName): Promise<V1CustomResourceDefinition> {
  const crd = await readCrd(kind);
  return {
    ...crd,
    spec: {
      ...crd.spec,
      versions: crd.spec.versions.map((v) => ({
        ...v,
        schema: { openAPIV3Schema: toModel(v.schema.openAPIV3Schema) },
      })),
    },
  };
}

/** Every CRD as a client-node model, in the order of `kinds`. */
export function loadCrds(): Promise<V1CustomResourceDefinition[]> {
  return Promise.all(kinds.map((k) => loadCrd(k.kind)));
}

// Wire name -> V1JSONSchemaProps property name, where they differ.
const MODEL_NAMES: Record<string, string> = {
  $ref: "ref",
  $schema: "schema",
  default: "_default",
  enum: "_enum",
};

/**
 * The model of one schema node. client-node types `items`,
 * `additionalProperties` and `additionalItems` as `any` and sends them as they
 * are, so below those the wire names must stay.
 */
function toModel(schema: OpenApiSchema): V1JSONSchemaProps {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    const name =
      MODEL_NAMES[key] ?? (key.startsWith("x-kubernetes-") ? key.replaceAll("-", "_") : key);
    if (key === "properties" || key === "patternProperties" || key === "definitions") {
      out[name] = Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([k, v]) => [k, toModel(v)]),
      );
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[name] = (value as OpenApiSchema[]).map(toModel);
    } else if (key === "not") {
      out[name] = toModel(value as OpenApiSchema);
    } else {
      out[name] = value; // values (enum, default, required, ...) and `any` subtrees stay as written
    }
  }
  return out as V1JSONSchemaProps;
}
