// The analytics benchmark's events, built with agents/events.ts event() as a
// collector builds them: 70 % metrics (SNMP counters), 20 % flows (NetFlow
// v9), 10 % syslog lines, over DEVICES devices. Deterministic for (tag, range),
// so the producer process and the COPY baseline make the very same events.
import { event, MetricKind, Source, SyslogFormat } from "../../../agents/events.ts";
import type { TelemetryEvent } from "../../../proto/codec.ts";

export const NAMESPACE = "plant-1";
export const DEVICES = 50;
/** The agent's default maxEvents (CollectorProfile spec.batching). */
export const BATCH = 500;
export const PROBE_DEVICE = "probe-1";
/** The message the probe rule matches; each probe's own index follows it. */
export const PROBE_MESSAGE = "AMOSKYS-BENCH-PROBE";

export const deviceName = (i: number) => `dev-${i}`;
export const deviceAddress = (i: number) => `10.0.${i}.1`;

/**
 * Events `from`..`from + n - 1` of the workload `tag`, all of one device (an
 * agent seals one batch per subject, i.e. per device). `atMs` is the
 * observed time of the first; the rest follow 1 ms apart.
 */
export function loadEvents(
  tag: string,
  from: number,
  n: number,
  dev: number,
  atMs: number,
): TelemetryEvent[] {
  const device = { namespace: NAMESPACE, name: deviceName(dev), address: deviceAddress(dev) };
  const out: TelemetryEvent[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const i = from + j;
    const init = (source: number) => ({
      device,
      source: source as never,
      observedMs: atMs + j,
      collectedMs: atMs + j + 3,
      idParts: [tag, i],
    });
    const k = i % 10;
    out[j] =
      k < 7
        ? event(init(Source.SOURCE_PROTOCOL_SNMP), {
            metric: {
              name: "if.in.octets",
              value: i * 1.5,
              unit: "By",
              kind: MetricKind.METRIC_KIND_COUNTER,
              labels: { ifIndex: String(i % 8) },
            },
          })
        : k < 9
          ? event(init(Source.SOURCE_PROTOCOL_NETFLOW), {
              flow: {
                srcAddress: `10.0.${dev}.9`,
                dstAddress: "10.0.0.7",
                srcPort: 40000 + (i % 20000),
                dstPort: 502,
                protocol: 6,
                bytes: 1200 + (i % 5000),
                packets: 4,
                tcpFlags: 0x1b,
                exporter: "127.0.0.1",
                exportVersion: 9,
              },
            })
          : event(init(Source.SOURCE_PROTOCOL_SYSLOG), {
              log: {
                format: SyslogFormat.SYSLOG_FORMAT_RFC5424,
                facility: 4,
                severity: 6,
                hostname: device.name,
                appName: "sshd",
                message: `Accepted publickey for admin from 10.0.0.${i % 250} port 5${i % 1000} ssh2`,
              },
            });
  }
  return out;
}

/** The batches of a workload of `total` events: batch b is device b % DEVICES. */
/** The default of loadBatches' rate: the issue's goal. */
export const LOAD_RATE = 50_000;

/**
 * The workload's batches. `offsetMs`: when a batch's first event happened,
 * relative to the start, at `rate` events/s over all devices. Event times
 * move as they would at that rate: a device's last seen must not race ahead
 * of the clock (that would make status writes no real device causes).
 */
export function loadBatches(
  total: number,
  rate = LOAD_RATE,
): { from: number; n: number; dev: number; offsetMs: number }[] {
  const out: { from: number; n: number; dev: number; offsetMs: number }[] = [];
  for (let from = 0, b = 0; from < total; from += BATCH, b++)
    out.push({
      from,
      n: Math.min(BATCH, total - from),
      dev: b % DEVICES,
      offsetMs: Math.floor((from * 1000) / rate),
    });
  return out;
}

/** A syslog line from the probe device whose observed time is its creation time. */
export function probeEvent(index: number, createdMs: number): TelemetryEvent {
  const device = { namespace: NAMESPACE, name: PROBE_DEVICE, address: "10.0.99.1" };
  return event(
    {
      device,
      source: Source.SOURCE_PROTOCOL_SYSLOG,
      observedMs: createdMs,
      collectedMs: createdMs,
      idParts: ["probe", index, createdMs],
    },
    {
      log: {
        format: SyslogFormat.SYSLOG_FORMAT_RFC5424,
        facility: 4,
        severity: 4,
        hostname: PROBE_DEVICE,
        appName: "bench",
        message: `${PROBE_MESSAGE} ${index}`,
      },
    },
  );
}
