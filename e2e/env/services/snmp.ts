// SNMP peers: net-snmp's snmpd (a live agent: v2c community and a v3 authPriv
// user) and snmpsim serving the real device recordings in shared/testdata/snmp/.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFile, readdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type EnvContext, giveTo, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { run, type Service, startService, waitReady } from "../proc.ts";
import { sharedDir } from "../toolchain.ts";

export interface SnmpV3User {
  user: string;
  authProtocol: "SHA";
  authKey: string;
  privProtocol: "AES";
  privKey: string;
}

export interface SnmpdEnv {
  host: string;
  port: number;
  community: string;
  v3: SnmpV3User;
  sysName: string;
  services: Service[];
}

export interface SnmpsimEnv {
  host: string;
  port: number;
  /** Served recordings. For v1/v2c the community is the name; for v3 it is the context name. */
  recordings: string[];
  v3: SnmpV3User;
  services: Service[];
}

/** Answers true once an SNMP GET of sysUpTime.0 succeeds (net-snmp's snmpget). */
function snmpAnswers(host: string, port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      "snmpget",
      ["-v2c", "-c", community, "-t", "0.3", "-r", "0", `${host}:${port}`, "1.3.6.1.2.1.1.3.0"],
      { env: { ...process.env, MIBS: "" } },
      (err) => resolve(!err),
    );
  });
}

export async function startSnmpd(ctx: EnvContext): Promise<SnmpdEnv> {
  const dir = await serviceDir(ctx, "snmpd", "nobody");
  const persist = await serviceDir(ctx, "snmpd/persist", "nobody");
  const port = await freePort("udp");
  const community = `ro-${randomBytes(4).toString("hex")}`;
  const v3: SnmpV3User = {
    user: "amoskys",
    authProtocol: "SHA",
    authKey: randomBytes(8).toString("hex"),
    privProtocol: "AES",
    privKey: randomBytes(8).toString("hex"),
  };
  const sysName = "peer-snmpd";
  const conf = join(dir, "snmpd.conf");
  await writeFile(
    conf,
    [
      `[snmp] persistentDir ${persist}`,
      `agentAddress udp:${ctx.host}:${port}`,
      `rocommunity ${community} ${ctx.podNetwork ?? ctx.host}`,
      `createUser ${v3.user} SHA ${v3.authKey} AES ${v3.privKey}`,
      `rouser ${v3.user} priv`,
      `sysName ${sysName}`,
      "sysLocation AMOSKYS test rack",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  await giveTo("nobody", conf);
  const svc = startService({
    name: "snmpd",
    command: "/usr/sbin/snmpd",
    // -C: ignore the system config; -I -smux: SMUX wants privileged port 199.
    args: ["-f", "-Lo", "-C", "-I", "-smux", "-c", conf, "-p", join(dir, "snmpd.pid")],
    env: { ...process.env, MIBS: "" }, // the standard MIBs are non-free in Debian
    user: "nobody",
    logFile: join(dir, "snmpd.log"),
  });
  await waitReady(svc, () => snmpAnswers(ctx.host, port, community));
  return { host: ctx.host, port, community, v3, sysName, services: [svc] };
}

/** Recordings we serve: every device walk; not notification.snmprec, which sends traps. */
async function copyRecordings(dataDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const sub of ["snmp/snmpsim", "snmp/snmpsim-data"]) {
    const from = join(sharedDir, "testdata", sub);
    for (const f of await readdir(from)) {
      if (f === "notification.snmprec") continue;
      if (f.endsWith(".snmprec")) {
        await copyFile(join(from, f), join(dataDir, f));
        names.push(basename(f, ".snmprec"));
      } else if (f.endsWith(".snmprec.bz2")) {
        const out = join(dataDir, basename(f, ".bz2"));
        const { stdout } = await run("bzip2", ["-dc", join(from, f)], {
          encoding: "buffer",
          maxBuffer: 256 << 20,
        });
        await writeFile(out, stdout);
        names.push(basename(f, ".snmprec.bz2"));
      }
    }
  }
  return names.sort();
}

export async function startSnmpsim(ctx: EnvContext): Promise<SnmpsimEnv> {
  const dir = await serviceDir(ctx, "snmpsim", "nobody");
  const data = await serviceDir(ctx, "snmpsim/data", "nobody");
  const cache = await serviceDir(ctx, "snmpsim/cache", "nobody");
  const recordings = await copyRecordings(data);
  const port = await freePort("udp");
  const v3: SnmpV3User = {
    user: "simuser",
    authProtocol: "SHA",
    authKey: randomBytes(8).toString("hex"),
    privProtocol: "AES",
    privKey: randomBytes(8).toString("hex"),
  };
  const svc = startService({
    name: "snmpsim",
    command: "/usr/bin/snmpsimd",
    args: [
      `--data-dir=${data}`,
      `--cache-dir=${cache}`,
      `--agent-udpv4-endpoint=127.0.0.1:${port}`,
      `--v3-user=${v3.user}`,
      `--v3-auth-key=${v3.authKey}`,
      "--v3-auth-proto=SHA",
      `--v3-priv-key=${v3.privKey}`,
      "--v3-priv-proto=AES",
      "--logging-method=stdout",
    ],
    user: "nobody", // snmpsim refuses to run as root
    logFile: join(dir, "snmpsimd.log"),
  });
  // Indexing the recordings happens on start; the first answer means it is done.
  await waitReady(svc, () => snmpAnswers("127.0.0.1", port, "linux-full-walk"), 120_000);
  return { host: "127.0.0.1", port, recordings, v3, services: [svc] };
}
