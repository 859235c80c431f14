// What the scenario's devices and attackers send, from real tools and peers:
// `logger` (sshd lines over syslog), `snmptrap`, `mosquitto_pub`, an MLLP
// client sending a real HL7 file, modbus-serial as a Modbus client bound to a
// chosen loopback source address, and a TCP connect() scan.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { promisify } from "node:util";
import modbusSerial from "modbus-serial";

const run = promisify(execFile);
const ModbusRTU = modbusSerial as unknown as typeof modbusSerial.default;

/** sshd-format failed logins, one syslog message each (UDP), to `server` (default loopback). */
export async function sshBruteForce(
  port: number,
  attempts: number,
  from: string,
  server = "127.0.0.1",
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await run("logger", [
      "--server",
      server,
      "--port",
      String(port),
      "--udp",
      "-t",
      "sshd",
      "-i",
      `Failed password for invalid user admin${i} from ${from} port ${40000 + i} ssh2`,
    ]);
  }
}

/** SNMPv2c authenticationFailure notifications (SNMPv2-MIB 1.3.6.1.6.3.1.1.5.5). */
export async function snmpAuthFailureTraps(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await run(
      "snmptrap",
      ["-v", "2c", "-c", "public", `127.0.0.1:${port}`, "", "1.3.6.1.6.3.1.1.5.5"],
      { env: { ...process.env, MIBS: "" } },
    );
  }
}

export async function mqttPublish(o: {
  url: string;
  ca: string;
  username: string;
  password: string;
  topic: string;
  message: string;
}): Promise<void> {
  const u = new URL(o.url);
  await run("mosquitto_pub", [
    "-h",
    u.hostname,
    "-p",
    u.port,
    "--cafile",
    o.ca,
    "-u",
    o.username,
    "-P",
    o.password,
    "-q",
    "1",
    "-t",
    o.topic,
    "-m",
    o.message,
  ]);
}

/** Sends an HL7 v2 file over MLLP and resolves with the ACK's MSA-1 (AA, AE, AR). */
export async function sendHl7(port: number, file: string): Promise<string> {
  // The files use LF (and one a BOM); HL7 separates segments with CR.
  const text = (await readFile(file, "utf8"))
    .replace(/^\uFEFF/, "")
    .replace(/\r?\n/g, "\r")
    .replace(/\r+$/, "\r");
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port });
    let got = "";
    s.setTimeout(30_000, () => s.destroy(new Error("no HL7 ACK within 30 s")));
    s.on("error", reject);
    s.on("data", (d) => {
      got += d.toString("latin1");
      if (!got.includes("\x1c\r")) return;
      s.end();
      resolve(/MSA\|([A-Z]{2})/.exec(got)?.[1] ?? `no MSA in ${JSON.stringify(got)}`);
    });
    s.write(`\x0b${text}\x1c\r`);
  });
}

async function modbusClient(port: number, from: string) {
  const c = new ModbusRTU();
  await c.connectTCP("127.0.0.1", { port, localAddress: from } as Parameters<
    typeof c.connectTCP
  >[1]);
  c.setID(1);
  c.setTimeout(3000);
  return {
    c,
    close: () => new Promise<void>((r) => c.close(() => r())),
  };
}

/** One write to a holding register from `from` (a host outside allowedWriters). */
export async function modbusWrite(port: number, from: string, address: number, value: number) {
  const { c, close } = await modbusClient(port, from);
  try {
    await c.writeRegister(address, value);
  } finally {
    await close();
  }
}

/**
 * Every common function code from one host, as a scanner would (the sequence of
 * analytics/detect/peers.test.ts): FC 1, 2, 3, 4, 5, 15, 16, 43.
 */
export async function modbusFunctionScan(port: number, from: string): Promise<number[]> {
  const { c, close } = await modbusClient(port, from);
  try {
    await c.readCoils(0, 4);
    await c.readDiscreteInputs(0, 4);
    await c.readHoldingRegisters(0, 2);
    await c.readInputRegisters(0, 2);
    await c.writeCoil(100, true);
    await c.writeRegisters(100, [1, 2]);
    await c.writeCoils(110, [true, false]);
    await c.readDeviceIdentification(1, 0).catch(() => undefined);
    return [1, 2, 3, 4, 5, 16, 15, 43];
  } finally {
    await close();
  }
}

/** connect() to each port of `target` from `from`; closed ports answer RST. Returns the open ones. */
export async function tcpConnectScan(
  target: string,
  from: string,
  ports: number[],
): Promise<number[]> {
  const open: number[] = [];
  for (const port of ports) {
    await new Promise<void>((resolve) => {
      const s: Socket = connect({ host: target, port, localAddress: from });
      s.setTimeout(2000, () => s.destroy());
      s.once("connect", () => {
        open.push(port);
        s.destroy();
      });
      s.once("error", () => resolve());
      s.once("close", () => resolve());
    });
  }
  return open;
}
