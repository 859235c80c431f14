// JSON Schemas of every route: Fastify validates inputs and serializes
// outputs with them, and @fastify/swagger turns them into the OpenAPI document.
import { EVENT_BODIES } from "./live.ts";

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export const STATES = ["open", "acknowledged", "resolved"] as const;

const name = { type: "string", minLength: 1, maxLength: 253 } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const cursor = {
  type: "string",
  maxLength: 1024,
  description: "nextCursor of the previous page.",
} as const;
const ref = (id: string) => ({ $ref: `${id}#` });

/** Schemas shared by routes; each becomes components/schemas/<$id> in the OpenAPI document. */
export const SHARED = [
  {
    $id: "Device",
    type: "object",
    properties: {
      namespace: { type: "string" },
      name: { type: "string" },
      address: { type: "string" },
      firstSeen: { ...dateTime, description: "Collector receive time of the first stored event." },
      lastSeen: { ...dateTime, description: "Collector receive time of the last stored event." },
      status: {
        type: "object",
        description:
          "Protocol → latest Status: {reachable, capability (real, degraded, blind), latencyMs, reason, observedMs}.",
        additionalProperties: {
          type: "object",
          properties: {
            reachable: { type: "boolean" },
            capability: { type: "string" },
            latencyMs: { type: "number" },
            reason: { type: "string" },
            observedMs: { type: "number" },
          },
        },
      },
      openFindings: {
        type: "object",
        description: "Findings in state open, by severity.",
        properties: Object.fromEntries(
          [...SEVERITIES, "total"].map((s) => [s, { type: "integer" }]),
        ),
      },
    },
    required: ["namespace", "name", "address", "firstSeen", "lastSeen", "status", "openFindings"],
  },
  {
    $id: "Finding",
    type: "object",
    properties: {
      id: { type: "integer" },
      rule: {
        type: "object",
        properties: { namespace: { type: "string" }, name: { type: "string" } },
        required: ["namespace", "name"],
      },
      device: {
        type: "object",
        properties: { namespace: { type: "string" }, name: { type: "string" } },
        required: ["namespace", "name"],
      },
      key: { type: "string", description: "The rule's group-by value ('' when none)." },
      severity: { type: "string", enum: [...SEVERITIES] },
      title: { type: "string" },
      mitre: { type: "array", items: { type: "string" } },
      count: { type: "integer" },
      suppressed: { type: "integer" },
      firstSeen: dateTime,
      lastSeen: dateTime,
      state: { type: "string", enum: [...STATES] },
      evidence: {
        type: "object",
        properties: {
          eventIds: { type: "array", items: { type: "string" } },
          summary: { type: "string" },
        },
        required: ["eventIds", "summary"],
      },
      createdAt: dateTime,
      updatedAt: dateTime,
    },
    required: [
      "id",
      "rule",
      "device",
      "key",
      "severity",
      "title",
      "mitre",
      "count",
      "suppressed",
      "firstSeen",
      "lastSeen",
      "state",
      "evidence",
      "createdAt",
      "updatedAt",
    ],
  },
] as const;

const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { ...ref("Problem"), description: `Problem (${c})` }]));
/** Every authenticated route can answer these. */
const AUTH_ERRORS = [400, 401, 403, 500, 503];

export function routeSchemas(l: { maxPageSize: number; maxLogLimit: number; maxPoints: number }) {
  const limit = (max: number, dflt: number) => ({
    type: "integer",
    minimum: 1,
    maximum: max,
    default: dflt,
  });
  return {
    listDevices: {
      tags: ["devices"],
      summary: "Devices with stored telemetry: last seen, status per protocol, open findings.",
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: name,
          limit: limit(l.maxPageSize, Math.min(100, l.maxPageSize)),
          cursor,
        },
      },
      response: {
        200: {
          type: "object",
          properties: {
            items: { type: "array", items: ref("Device") },
            nextCursor: { type: "string" },
          },
          required: ["items"],
        },
        ...problems(...AUTH_ERRORS),
      },
    },
    getDevice: {
      tags: ["devices"],
      summary: "One device.",
      params: {
        type: "object",
        properties: { namespace: name, name },
        required: ["namespace", "name"],
      },
      response: { 200: ref("Device"), ...problems(...AUTH_ERRORS, 404) },
    },
    listFindings: {
      tags: ["findings"],
      summary: "Findings, newest first, with filters; paginated by limit and cursor.",
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: { ...name, description: "Device namespace." },
          device: { ...name, description: "Device name." },
          ruleNamespace: name,
          rule: { ...name, description: "DetectionRule name." },
          severity: {
            type: "array",
            items: { type: "string", enum: [...SEVERITIES] },
            maxItems: SEVERITIES.length,
            description: "Repeat the parameter for several.",
          },
          state: {
            type: "array",
            items: { type: "string", enum: [...STATES] },
            maxItems: STATES.length,
            description: "Repeat the parameter for several.",
          },
          since: { ...dateTime, description: "Findings last seen at or after this time." },
          limit: limit(l.maxPageSize, Math.min(100, l.maxPageSize)),
          cursor,
        },
      },
      response: {
        200: {
          type: "object",
          properties: {
            items: { type: "array", items: ref("Finding") },
            nextCursor: { type: "string" },
          },
          required: ["items"],
        },
        ...problems(...AUTH_ERRORS),
      },
    },
    getFinding: {
      tags: ["findings"],
      summary: "One finding with its evidence.",
      params: {
        type: "object",
        properties: { id: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
        required: ["id"],
      },
      response: { 200: ref("Finding"), ...problems(...AUTH_ERRORS, 404) },
    },
    setState: (what: string) => ({
      tags: ["findings"],
      summary: `Marks a finding ${what} (in Postgres, mirrored to the Kubernetes Finding).`,
      params: {
        type: "object",
        properties: { id: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
        required: ["id"],
      },
      response: { 200: ref("Finding"), ...problems(...AUTH_ERRORS, 404, 409) },
    }),
    metrics: {
      tags: ["telemetry"],
      summary:
        "A metric of a device, downsampled: avg/min/max/count per bucket of `step`, buckets aligned on `from` (from ≤ observed < to).",
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: name,
          device: name,
          metric: { type: "string", minLength: 1, maxLength: 512 },
          from: { ...dateTime, description: "Default: `to` minus 1 hour." },
          to: { ...dateTime, description: "Exclusive. Default: now." },
          step: {
            type: "string",
            pattern: "^[0-9]{1,9}(ms|s|m|h|d)$",
            description: `Bucket width (250ms, 30s, 5m, 1h, 1d), at least 1s; (to - from) / step at most ${l.maxPoints}. Default: the range in about 300 buckets.`,
          },
          label: {
            type: "array",
            items: { type: "string", pattern: "^[^=]+=.*$", maxLength: 512 },
            maxItems: 8,
            description: "Only samples with these labels (key=value; repeat for several).",
          },
        },
        required: ["namespace", "device", "metric"],
      },
      response: {
        200: {
          type: "object",
          properties: {
            device: {
              type: "object",
              properties: { namespace: { type: "string" }, name: { type: "string" } },
            },
            metric: { type: "string" },
            unit: { type: "string" },
            from: dateTime,
            to: dateTime,
            stepMs: { type: "integer" },
            points: {
              type: "array",
              description: "Buckets holding samples, in time order (empty buckets are absent).",
              items: {
                type: "object",
                properties: {
                  t: { ...dateTime, description: "Bucket start." },
                  avg: { type: "number", nullable: true },
                  min: { type: "number", nullable: true },
                  max: { type: "number", nullable: true },
                  count: { type: "integer" },
                },
                required: ["t", "avg", "min", "max", "count"],
              },
            },
          },
          required: ["device", "metric", "unit", "from", "to", "stepMs", "points"],
        },
        ...problems(...AUTH_ERRORS),
      },
    },
    logs: {
      tags: ["telemetry"],
      summary: "Log records of a namespace or one device, newest first.",
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: name,
          device: name,
          since: { ...dateTime, description: "Default: 1 hour before `until`." },
          until: { ...dateTime, description: "Exclusive. Default: now." },
          q: {
            type: "string",
            minLength: 1,
            maxLength: 256,
            description: "Case-insensitive substring of the message.",
          },
          maxSeverity: {
            type: "integer",
            minimum: 0,
            maximum: 7,
            description: "Syslog severity at most (0 emerg … 7 debug).",
          },
          limit: limit(l.maxLogLimit, Math.min(100, l.maxLogLimit)),
        },
        required: ["namespace"],
      },
      response: {
        200: {
          type: "object",
          properties: {
            items: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  id: { type: "string" },
                  observed: dateTime,
                  device: {
                    type: "object",
                    properties: { namespace: { type: "string" }, name: { type: "string" } },
                  },
                  address: { type: "string" },
                  format: { type: "string" },
                  facility: { type: "integer" },
                  severity: { type: "integer" },
                  hostname: { type: "string" },
                  appName: { type: "string" },
                  procId: { type: "string" },
                  msgId: { type: "string" },
                  structuredData: {},
                  message: { type: "string" },
                },
              },
            },
          },
          required: ["items"],
        },
        ...problems(...AUTH_ERRORS),
      },
    },
    stream: {
      tags: ["stream"],
      summary:
        "Server-Sent Events: `finding` (new or updated findings) and, when asked, `event` (stored telemetry events). Comments (`: ping`) are heartbeats.",
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          namespace: name,
          device: name,
          kind: {
            type: "array",
            items: { type: "string", enum: ["finding", "event"] },
            maxItems: 2,
            default: ["finding"],
          },
          body: {
            type: "array",
            items: { type: "string", enum: [...EVENT_BODIES] },
            maxItems: EVENT_BODIES.length,
            description: "Event bodies wanted (default all).",
          },
        },
      },
      produces: ["text/event-stream"],
      response: {
        200: { description: "text/event-stream", type: "string" },
        ...problems(...AUTH_ERRORS, 429),
      },
    },
  };
}
