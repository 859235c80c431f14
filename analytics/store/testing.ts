// Test helpers of the store: a pool on the test environment's Postgres, one
// event of every body type, and stopping/starting Postgres on its data dir.
import { join } from "node:path";
import type pg from "pg";
import { Capability, event, MetricKind, Source, SyslogFormat } from "../../agents/events.ts";
import type { PostgresEnv } from "../../e2e/env/index.ts";
import { run, type Service, startService, waitReady } from "../../e2e/env/proc.ts";
import { PG_BIN } from "../../e2e/env/toolchain.ts";
import type { TelemetryEvent } from "../../proto/codec.ts";
import { createPool } from "./pool.ts";

export function testPool(p: PostgresEnv, max = 5): pg.Pool {
  return createPool({ url: p.url, caFile: p.ca, max, connectionTimeoutMs: 3_000 });
}

const dev = { namespace: "plant-1", name: "plc-7", address: "127.0.0.1" };

/**
 * One event of each body type, observed at `ms`, with values a collector
 * would have read (built with the agents' own event() so ids are theirs).
 */
export function everyKind(ms: number, tag = "a"): TelemetryEvent[] {
  const at = (source: number, ...idParts: (string | number)[]) => ({
    device: dev,
    source: source as never,
    observedMs: ms,
    collectedMs: ms + 5,
    idParts: [tag, ...idParts],
  });
  return [
    event(at(Source.SOURCE_PROTOCOL_MODBUS, "hr", 40001), {
      metric: {
        name: "modbus.hr.40001",
        value: 21.5,
        unit: "Cel",
        kind: MetricKind.METRIC_KIND_GAUGE,
        labels: { unit: "1" },
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_SYSLOG, "line"), {
      log: {
        format: SyslogFormat.SYSLOG_FORMAT_RFC5424,
        facility: 4,
        severity: 2,
        hostname: "plc-7",
        appName: "sshd",
        procId: "812",
        msgId: "ID47",
        structuredData: [{ id: "origin@32473", params: { ip: "10.0.0.9" } }],
        message: "Failed password for root from 10.0.0.9 port 50022 ssh2",
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_SNMP_TRAP, "trap"), {
      trap: {
        version: "v2c",
        inform: false,
        trapOid: "1.3.6.1.6.3.1.1.5.5",
        agentAddress: "127.0.0.1",
        uptime: 123456,
        varbinds: [{ oid: "1.3.6.1.2.1.1.5.0", type: "OctetString", value: "plc-7" }],
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_NETFLOW, "flow"), {
      flow: {
        srcAddress: "10.0.0.9",
        dstAddress: "10.0.0.7",
        srcPort: 50022,
        dstPort: 502,
        protocol: 6,
        bytes: 5_000_000_000,
        packets: 42,
        start: { seconds: Math.floor(ms / 1000) - 10, nanos: 0 },
        end: { seconds: Math.floor(ms / 1000), nanos: 250_000_000 },
        tcpFlags: 0x1b,
        exporter: "127.0.0.1",
        observationDomain: 0,
        exportVersion: 9,
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_AGENT, "status"), {
      status: {
        protocol: Source.SOURCE_PROTOCOL_MODBUS,
        reachable: true,
        latencyMs: 3.5,
        capability: Capability.CAPABILITY_REAL,
        reason: "",
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_DISCOVERY, "sec"), {
      security: {
        kind: "modbus.writable",
        detail: "holding register 40001 accepted a write",
        evidence: { register: "40001" },
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_HL7, "obx"), {
      clinical: {
        codeSystem: "LN",
        code: "2823-3",
        display: "Potassium",
        value: "4.1",
        numericValue: 4.1,
        isNumeric: true,
        unit: "mmol/L",
        referenceRange: "3.5-5.1",
        abnormalFlag: "N",
        resultStatus: "F",
        sourceId: "MSG00001",
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_MQTT, "bad"), {
      malformed: {
        protocol: Source.SOURCE_PROTOCOL_MQTT,
        reason: "not JSON",
        sample: Buffer.from("{\u0000oops"),
        length: 6,
      },
    }),
    event(at(Source.SOURCE_PROTOCOL_PCAP, "wire"), {
      wire: {
        protocol: "modbus",
        action: "request",
        srcAddress: "10.0.0.9",
        srcPort: 50100,
        dstAddress: "10.0.0.7",
        dstPort: 502,
        fields: { functionCode: "6", unitId: "1", address: "0" },
      },
    }),
  ];
}

/**
 * Stops the environment's Postgres and, after `downMs`, starts it again on
 * the same data dir and port (e2e/env has no restart for it). The new process
 * replaces the old in env.postgres.services, so env.stop() stops it.
 */
export async function restartPostgres(root: string, p: PostgresEnv, downMs: number): Promise<void> {
  const old = p.services[0] as Service;
  await old.stop();
  await new Promise((r) => setTimeout(r, downMs));
  const dir = join(root, "postgres");
  const data = join(dir, "data");
  const svc = startService({
    name: "postgres",
    command: join(PG_BIN, "postgres"),
    args: [
      "-D",
      data,
      "-p",
      String(p.port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "ssl=on",
      "-c",
      `ssl_cert_file=${join(data, "server.crt")}`,
      "-c",
      `ssl_key_file=${join(data, "server.key")}`,
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
    ],
    user: "postgres",
    stopSignal: "SIGINT",
    logFile: join(dir, "postgres.log"),
  });
  p.services[0] = svc;
  await waitReady(svc, () =>
    run(join(PG_BIN, "pg_isready"), ["-h", "127.0.0.1", "-p", String(p.port)]).then(() => true),
  );
}
