// The demo's SIMULATED devices: real protocol servers in JS on loopback
// addresses, so the collectors talk to them exactly as to real equipment.
// Each has its own 127.0.0.x address (pushed data is attributed by source
// address). None of this is used outside the demo.
import { createSocket } from "node:dgram";
import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";
import modbusSerial from "modbus-serial";
import mqtt from "mqtt";
import snmp from "net-snmp";
import type { SnmprecEntry } from "./snmprec.ts";

// CJS typing quirk of modbus-serial (see the repo's other users of it).
const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

export interface Simulator {
  name: string;
  stop(): Promise<void>;
}

/**
 * An SNMP v2c agent (net-snmp's agent) serving a recording. Every recorded
 * OID becomes an instance node under one read-only provider at 1.3.6.1, so
 * GET/GETNEXT/GETBULK walk the recording as the device answered it. A request
 * with a wrong community makes it send an authenticationFailure notification
 * (RFC 3418 snmpTraps.5) to `trapTarget`, as an agent with
 * snmpEnableAuthenTraps does.
 */
export async function snmpAgent(o: {
  address: string;
  port: number;
  community: string;
  entries: readonly SnmprecEntry[];
  trapTarget: { address: string; port: number };
  onAuthFailure?: (from: string, community: string) => void;
}): Promise<Simulator & { trapsSent: () => number }> {
  const mib = snmp.createMib();
  const root = {
    name: "recording",
    type: snmp.MibProviderType.Scalar,
    oid: "1.3.6.1",
    scalarType: snmp.ObjectType.Integer,
    maxAccess: snmp.MaxAccess["read-only"],
  };
  mib.registerProvider(root);
  mib.addProviderToNode(root);
  for (const e of o.entries) {
    mib.addNodesForOid(e.oid);
    const node = mib.lookup(e.oid);
    node.valueType = e.type;
    node.value = e.value;
  }
  let sent = 0;
  const trapSession = snmp.createSession(o.trapTarget.address, o.community, {
    version: snmp.Version2c,
    trapPort: o.trapTarget.port,
    sourceAddress: o.address,
  });
  trapSession.on("error", () => {});
  const agent = snmp.createAgent(
    { port: o.port, address: o.address, disableAuthorization: false },
    (error: (Error & { rinfo?: { address: string } }) | null) => {
      if (!error || !/community/i.test(error.message)) return;
      const community = /with community (.*)$/.exec(error.message)?.[1] ?? "?";
      o.onAuthFailure?.(error.rinfo?.address ?? "?", community);
      trapSession.trap(snmp.TrapType.AuthenticationFailure, (err) => {
        if (!err) sent++;
      });
    },
    mib,
  );
  agent.getAuthorizer().addCommunity(o.community);
  await new Promise((r) => setTimeout(r, 50)); // the socket binds asynchronously
  return {
    name: "snmp-agent",
    trapsSent: () => sent,
    stop: async () => {
      trapSession.close();
      await new Promise<void>((r) => agent.close(() => r()));
    },
  };
}

/**
 * A tank-farm PLC over Modbus/TCP (modbus-serial's ServerTCP). The process is
 * simulated: the level rises while the pump runs and falls while it is off
 * (hysteresis 45-55 %, a 10 s cycle: shorter than the demo rule's learning
 * period, so the baseline has seen the whole normal range), plus small noise;
 * the temperature follows slowly. A write to hr 0 (the level) is kept, as
 * manipulated process data would be.
 */
export async function tankPlc(o: {
  address: string;
  port: number;
  unitId: number;
}): Promise<Simulator & { level: () => number }> {
  let level = 500; // tenths of a percent
  let pump = true;
  let temperature = 21.5;
  let forced: number | undefined;
  const tick = setInterval(() => {
    if (forced !== undefined) return;
    level += (pump ? 20 : -20) + Math.round((Math.random() - 0.5) * 4);
    if (level >= 550) pump = false;
    if (level <= 450) pump = true;
    temperature += (Math.random() - 0.5) * 0.1;
  }, 500);
  const value = () => forced ?? level;
  const float = Buffer.alloc(4);
  const holding = (addr: number): number => {
    if (addr === 0) return value();
    if (addr === 10 || addr === 11) {
      float.writeFloatBE(temperature);
      return float.readUInt16BE(addr === 10 ? 0 : 2);
    }
    return 0;
  };
  const server = new ModbusRTU.ServerTCP(
    {
      getHoldingRegister: (addr: number) => holding(addr),
      getInputRegister: () => 0,
      getCoil: (addr: number) => addr === 0 && pump,
      getDiscreteInput: (addr: number) => addr === 0 && value() > 900,
      setRegister: (addr: number, v: number) => {
        if (addr === 0) forced = v;
      },
      setCoil: (addr: number, v: boolean) => {
        if (addr === 0) pump = v;
      },
    },
    { host: o.address, port: o.port, unitID: o.unitId },
  );
  server.on("socketError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.on("initialized", () => resolve());
    server.on("serverError", reject);
  });
  return {
    name: "modbus-plc",
    level: value,
    stop: async () => {
      clearInterval(tick);
      // Drop the open connections too, so the poller sees the PLC go silent.
      for (const s of server.socks.keys()) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * An MQTT broker (aedes) that requires a username and password, on plain
 * mqtt://, and a sensor that publishes JSON readings to it every second.
 */
export async function mqttSensor(o: {
  address: string;
  port: number;
  username: string;
  password: string;
  topic: string;
}): Promise<Simulator & { published: () => number }> {
  const broker = new Aedes({
    authenticate: (_client, username, password, done) =>
      done(null, username === o.username && password?.toString() === o.password),
  });
  await broker.listen();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.address, () => resolve());
  });
  const client = await mqtt.connectAsync(`mqtt://${o.address}:${o.port}`, {
    username: o.username,
    password: o.password,
    clientId: "simulated-env-sensor",
    reconnectPeriod: 500,
  });
  let n = 0;
  let temperature = 22.0;
  let humidity = 41.0;
  const publish = () => {
    temperature += (Math.random() - 0.5) * 0.2;
    humidity += (Math.random() - 0.5) * 0.5;
    const reading = {
      temperature: Math.round(temperature * 10) / 10,
      humidity: Math.round(humidity * 10) / 10,
      battery: { voltage: 3.61 },
    };
    client.publish(o.topic, JSON.stringify(reading), { qos: 0 }, (err) => {
      if (!err) n++;
    });
  };
  publish();
  const timer = setInterval(publish, 1_000);
  return {
    name: "mqtt-broker+sensor",
    published: () => n,
    stop: async () => {
      clearInterval(timer);
      await client.endAsync(true).catch(() => {});
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}

/** RFC 5424 with the local time's offset-free UTC form, as rsyslog forwards it. */
export function rfc5424(o: {
  facility: number;
  severity: number;
  host: string;
  app: string;
  pid: number;
  msg: string;
  time?: Date;
}): string {
  const pri = o.facility * 8 + o.severity;
  const ts = (o.time ?? new Date()).toISOString();
  return `<${pri}>1 ${ts} ${o.host} ${o.app} ${o.pid} - - ${o.msg}`;
}

/**
 * A Linux host's syslog (UDP from its own loopback address): routine lines
 * every few seconds; `send` lets the attack script add its own.
 */
export async function syslogSource(o: {
  address: string;
  host: string;
  target: { address: string; port: number };
}): Promise<Simulator & { send: (app: string, pid: number, msg: string) => Promise<void> }> {
  const sock = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    sock.once("error", reject);
    sock.bind({ address: o.address, port: 0 }, () => resolve());
  });
  const send = (app: string, pid: number, msg: string, severity = 6) =>
    new Promise<void>((resolve, reject) => {
      const line = rfc5424({ facility: 4, severity, host: o.host, app, pid, msg });
      sock.send(line, o.target.port, o.target.address, (err) => (err ? reject(err) : resolve()));
    });
  let i = 0;
  const routine = [
    () => send("CRON", 2211, "(root) CMD (/usr/lib/sysstat/debian-sa1 1 1)"),
    () => send("sshd", 1402, "Accepted publickey for ops from 127.0.0.10 port 51022 ssh2"),
    () => send("systemd", 1, "Started session-42.scope - Session 42 of User ops."),
  ];
  const timer = setInterval(() => {
    routine[i++ % routine.length]?.().catch(() => {});
  }, 3_000);
  await routine[0]?.();
  return {
    name: "syslog-source",
    send: (app, pid, msg) => send(app, pid, msg, 6),
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((r) => sock.close(() => r()));
    },
  };
}
