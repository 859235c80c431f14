// The MQTT collector: subscribes to a broker for one Device, reads JSON or
// Sparkplug B payloads into events (messages.ts), reports how well it sees the
// device (Status), and what it learnt about the broker's posture
// (SecurityObservation). Reconnects with exponential backoff; re-reads the
// Secret files on every attempt, so rotated credentials are picked up.
import { createHash } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import type { AgentDevice, Collector, CollectorContext, TelemetryEvent } from "../../collector.ts";
import { Capability, event, Source } from "../../events.ts";
import { collectorMetrics } from "../../metrics.ts";
import {
  type CheckedConfig,
  checkConfig,
  classifyFailure,
  clientOptions,
  probeAnonymous,
} from "./connect.ts";
import {
  createMessageHandler,
  type MessageHandler,
  messageHash,
  protocolLabel,
} from "./messages.ts";
import { mqttMetrics } from "./mqtt-metrics.ts";
import { orderedAcks } from "./ordered-acks.ts";
import { arrivalClock, type Delivered } from "./redelivery.ts";

export interface MqttCollectorOptions {
  /** Reconnect delay: starts at initialMs, doubles per failed attempt up to maxMs (with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** Subscribed but silent this long: DEGRADED ("no messages"). Default 60 s. */
  quietMs?: number;
  /** Status is re-sent at least this often. Default 5 min. */
  heartbeatMs?: number;
  /** CONNACK timeout of each attempt (and of the anonymous probe). Default 10 s. */
  connectTimeoutMs?: number;
  /** Probe once whether the broker accepts anonymous clients. Default true. */
  probeAnonymous?: boolean;
  /** MQTT client id; default a stable id per Device, so the broker keeps its session. */
  clientId?: string;
  /**
   * Messages handed to the sink but not yet acknowledged, at most; the next
   * message waits. The broker's own window is usually smaller (Mosquitto's
   * max_inflight_messages: 20). Default 100.
   */
  maxInFlight?: number;
}

/** Tells mqtt.js not to send the PUBACK itself (we do, once stored) and to go on. */
const ACK_LATER = new Error("acknowledged once stored");

/** mqtt.js's private send, which its own handlers use for PUBACK. */
interface PacketSender {
  _sendPacket(packet: { cmd: "puback"; messageId?: number }): void;
}

type Cap = (typeof Capability)[keyof typeof Capability];

interface BrokerStatus {
  reachable: boolean;
  capability: Cap;
  reason: string;
  latencyMs: number;
}

export function createMqttCollector(
  device: AgentDevice,
  ctx: CollectorContext,
  opts: MqttCollectorOptions = {},
): Collector {
  const name = `mqtt/${device.namespace}/${device.name}`;
  const log = ctx.logger.child({ collector: name });
  const backoff = opts.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  const quietMs = opts.quietMs ?? 60_000;
  const heartbeatMs = opts.heartbeatMs ?? 5 * 60_000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const maxInFlight = opts.maxInFlight ?? 100;
  const clientId =
    opts.clientId ??
    `amoskys-${createHash("sha256").update(`${device.namespace}/${device.name}`).digest("hex").slice(0, 16)}`;
  const shared = collectorMetrics(ctx.registry);
  const own = mqttMetrics(ctx.registry);

  let checked: CheckedConfig;
  let handle: MessageHandler;
  let label = "mqtt";
  let started = false;
  let stopped = false;
  let client: MqttClient | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let quietTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let failures = 0;
  let status: BrokerStatus | undefined;
  /** Set while the broker refuses some of the topic filters: DEGRADED even when messages flow. */
  let partlyRefused: string | undefined;
  /** Connect + TLS + CONNACK time of the current connection. */
  let connectMs = 0;
  /** Messages received on the current connection. */
  let received = 0;
  const inFlight = new Set<Promise<unknown>>();
  const stopping = new AbortController();

  /** Hands events to the sink; resolves false (and logs) if they could not be stored. */
  const emit = (events: TelemetryEvent[], protocol = "mqtt"): Promise<boolean> => {
    if (events.length === 0) return Promise.resolve(true);
    shared.events.inc({ protocol }, events.length);
    // urgent: the broker's redelivery waits on this (PUBACK after the store).
    const p = ctx.sink.emit(events, { urgent: true }).then(
      () => true,
      (err: unknown) => {
        log.error("could not store events", { err, count: events.length });
        return false;
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  const brokerEvent = (idParts: (string | number)[], body: Parameters<typeof event>[1]) => {
    const now = ctx.now();
    return event(
      {
        device,
        source: Source.SOURCE_PROTOCOL_MQTT,
        address: checked.address,
        observedMs: now,
        collectedMs: now,
        idParts: [...idParts, checked.address, now],
      },
      body,
    );
  };

  const sendStatus = () => {
    if (!status) return;
    void emit([
      brokerEvent(["status"], {
        status: {
          protocol: Source.SOURCE_PROTOCOL_MQTT,
          reachable: status.reachable,
          latencyMs: status.latencyMs,
          capability: status.capability,
          reason: status.reason,
        },
      }),
    ]);
  };

  /** Records the broker status; an event goes out when (reachable, capability) changes. */
  const setStatus = (reachable: boolean, capability: Cap, reason: string, latencyMs = 0) => {
    const changed = !status || status.reachable !== reachable || status.capability !== capability;
    status = { reachable, capability, reason, latencyMs };
    if (changed) {
      log.info("status", { reachable, capability, reason });
      sendStatus();
    }
  };

  const observe = (kind: string, detail: string, evidence: Record<string, string>) => {
    own.observations.inc({ kind });
    void emit([brokerEvent(["security", kind], { security: { kind, detail, evidence } })]);
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 20));
    failures++;
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    log.debug("reconnecting", { delayMs: delay });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  const arrival = arrivalClock();
  const onMessage = async (packet: Delivered, topic: string, payload: Buffer): Promise<boolean> => {
    const hash = messageHash(topic, payload);
    const receivedMs = arrival(packet, hash, ctx.now());
    const h = handle(topic, payload, receivedMs, hash);
    received++;
    own.messages.inc({ payload: device.mqtt?.payload ?? "json", type: h.messageType });
    for (const reason of h.malformed) shared.malformed.inc({ protocol: label, reason });
    for (const d of h.skipped) own.skipped.inc({ datatype: d });
    for (const k of h.observations) own.observations.inc({ kind: k });
    if (h.events.some((e) => e.metric)) {
      clearTimeout(quietTimer);
      if (partlyRefused) setStatus(true, Capability.CAPABILITY_DEGRADED, partlyRefused, connectMs);
      else setStatus(true, Capability.CAPABILITY_REAL, "subscribed; messages flowing", connectMs);
    } else if (h.malformed.length > 0 && status?.capability !== Capability.CAPABILITY_REAL) {
      clearTimeout(quietTimer);
      setStatus(
        true,
        Capability.CAPABILITY_DEGRADED,
        "messages arrive but none could be read",
        connectMs,
      );
    }
    return emit(h.events, label);
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const cfg = device.mqtt;
    if (!cfg) return;
    const t0 = performance.now();
    let options: Awaited<ReturnType<typeof clientOptions>>;
    try {
      options = await clientOptions(cfg, checked, ctx, true);
    } catch (err) {
      // Never the content: only which kind of file failed.
      own.connects.inc({ result: "config" });
      const code = (err as { code?: string }).code ?? "error";
      setStatus(
        false,
        Capability.CAPABILITY_BLIND,
        `cannot read the credential or TLS files (${code})`,
      );
      scheduleReconnect();
      return;
    }
    if (stopped) return;
    const c = mqtt.connect(checked.url.toString(), {
      ...options,
      clientId,
      // A persistent session: QoS 1/2 messages that arrive while we reconnect,
      // or that we did not acknowledge, are delivered again.
      clean: false,
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: connectTimeoutMs,
      keepalive: 30,
      protocolVersion: 4,
    });
    client = c;
    let lastErr: unknown;
    let connected = false;
    let latencyMs = 0;
    // Acknowledge (QoS 1/2) only once the events are durably stored, in the
    // order the messages came. mqtt.js handles the next packet only when
    // handleMessage calls back, and sends the PUBACK then; so for QoS 1 we
    // call back at once with ACK_LATER (no PUBACK; go on) and send the PUBACK
    // ourselves when the store resolves: many messages share one group commit.
    // QoS 2 is stored when its PUBLISH comes, and mqtt.js sends the PUBREC
    // when customHandleAcks calls back: once the broker has our PUBREC it
    // will not send the message again, only the PUBREL, also after a
    // reconnect, to a client that keeps nothing of the previous one (mqtt.js
    // would deliver on PUBREL from the last client's memory). One QoS 2
    // message at a time. A store that fails drops the connection: that
    // message and all later ones are unacknowledged, and the broker sends
    // them again.
    const acks = orderedAcks(maxInFlight, () => {
      log.warn("dropping the connection: events could not be stored");
      c.end(true);
    });
    const store = (packet: Delivered, topic: string, payload: Buffer) =>
      onMessage(packet, topic, payload).catch((err: unknown) => {
        log.error("message handling failed", { err });
        return false;
      });
    // mqtt.js takes customHandleAcks from the options only for MQTT 5, but
    // calls it for every QoS 1/2 PUBLISH (mqtt pinned to 5.16.0; acks.test.ts
    // fails if that changes).
    c.options.customHandleAcks = (topic, payload, packet, done) => {
      if (packet.qos !== 2) return done(0);
      if (client !== c) return; // closed: unacknowledged, delivered again
      acks.add(store(packet, topic, payload), () => done(0));
    };
    c.handleMessage = (packet, done) => {
      if (packet.qos === 2) return done(); // on PUBREL: stored at PUBLISH; mqtt.js sends the PUBCOMP
      if (client !== c) return; // closed: unacknowledged, delivered again
      const stored = store(packet, packet.topic, packet.payload as Buffer);
      const { messageId } = packet;
      acks.add(
        stored,
        packet.qos === 1
          ? // The same call mqtt.js makes for its own PUBACK (mqtt pinned to 5.16.0).
            () => {
              if (client === c)
                (c as unknown as PacketSender)._sendPacket({ cmd: "puback", messageId });
            }
          : () => {},
      );
      acks.whenRoom(() => done(packet.qos === 1 ? ACK_LATER : undefined));
    };
    c.on("error", (err) => {
      lastErr = err;
    });
    c.on("connect", () => {
      connected = true;
      partlyRefused = undefined;
      received = 0;
      latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      connectMs = latencyMs;
      own.connects.inc({ result: "ok" });
      failures = 0;
      const topics = Object.fromEntries(cfg.topics.map((t) => [t, { qos: cfg.qos }]));
      c.subscribe(topics, (err, subs, packet) => {
        // A refused filter comes back as reason code 0x80 in the SUBACK (and as err).
        const codes = packet && "granted" in packet ? (packet.granted as number[]) : undefined;
        if (!subs || !codes || codes.length !== subs.length) {
          if (client === c && !stopped) log.warn("subscribe failed", { err });
          return;
        }
        const refused = subs.filter((_, i) => ((codes[i] ?? 0x80) & 0x80) !== 0);
        const granted = subs;
        if (refused.length === granted.length) {
          setStatus(
            true,
            Capability.CAPABILITY_BLIND,
            `broker refused every subscription (${refused.map((g) => g.topic).join(", ")})`,
            latencyMs,
          );
          return;
        }
        log.info("subscribed", { topics: cfg.topics, qos: codes });
        if (refused.length > 0) {
          partlyRefused = `broker refused the subscription to ${refused.map((g) => g.topic).join(", ")}`;
          setStatus(true, Capability.CAPABILITY_DEGRADED, partlyRefused, latencyMs);
          return;
        }
        if (status) status.latencyMs = latencyMs;
        clearTimeout(quietTimer);
        quietTimer = setTimeout(() => {
          if (client === c && status?.capability !== Capability.CAPABILITY_REAL)
            setStatus(
              true,
              Capability.CAPABILITY_DEGRADED,
              received === 0
                ? `subscribed; no messages for ${Math.round(quietMs / 1000)} s`
                : `subscribed; ${received} messages in ${Math.round(quietMs / 1000)} s but no readings`,
              latencyMs,
            );
        }, quietMs);
      });
    });
    c.on("close", () => {
      acks.abandon();
      if (client !== c) return;
      client = undefined;
      clearTimeout(quietTimer);
      c.removeAllListeners("close");
      c.end(true);
      if (stopped) return;
      if (connected) {
        failures = 0;
        setStatus(false, Capability.CAPABILITY_BLIND, "connection to the broker lost");
      } else {
        const f = classifyFailure(lastErr);
        own.connects.inc({ result: f.result });
        setStatus(
          f.reachable,
          Capability.CAPABILITY_BLIND,
          f.reason,
          Math.round(performance.now() - t0),
        );
      }
      scheduleReconnect();
    });
  };

  const probe = async () => {
    const cfg = device.mqtt;
    if (!cfg) return;
    try {
      const tlsOnly = await clientOptions(cfg, checked, ctx, false);
      if (stopped) return;
      const r = await probeAnonymous(checked.url, tlsOnly, connectTimeoutMs, stopping.signal);
      log.info("anonymous probe", { result: r.result, reason: r.reason });
      if (r.result === "allowed" && !stopped)
        observe(
          "mqtt.anonymous_allowed",
          `broker ${checked.address} accepts clients without a username`,
          {
            broker: checked.address,
            transport: checked.tls ? "tls" : "plain",
          },
        );
    } catch (err) {
      log.warn("anonymous probe failed", { err });
    }
  };

  return {
    name,
    async start() {
      if (started) throw new Error(`${name}: already started`);
      checked = checkConfig(device.mqtt);
      const cfg = device.mqtt as NonNullable<AgentDevice["mqtt"]>;
      label = protocolLabel(cfg.payload);
      handle = createMessageHandler(device, cfg.payload, checked.mappings);
      started = true;
      if (cfg.credentials && !checked.tls)
        observe(
          "mqtt.cleartext_credentials",
          `credentials are sent unencrypted to mqtt://${checked.address}`,
          { broker: checked.address, transport: "plain" },
        );
      heartbeat = setInterval(sendStatus, heartbeatMs);
      void connect();
      if (opts.probeAnonymous !== false) {
        const p = probe();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    },
    async stop() {
      stopped = true;
      stopping.abort();
      clearTimeout(retryTimer);
      clearTimeout(quietTimer);
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      if (c) {
        await new Promise<void>((res) => {
          const t = setTimeout(res, 2000); // end() may not call back for a socket never opened
          c.end(true, {}, () => {
            clearTimeout(t);
            res();
          });
        });
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
