// Smoke test of the SNMP peers: snmpd (v2c and v3 authPriv) and snmpsim serving
// the recorded Linux host walk from etingof/snmpsim
// (shared/testdata/snmp/snmpsim/linux-full-walk.snmprec, BSD-2-Clause; see
// shared/testdata/SOURCES.md). The expected value is read from the recording.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import snmp from "net-snmp";
import { type EnvWith, startEnv } from "../env/index.ts";
import type { SnmpV3User } from "../env/services/snmp.ts";
import { sharedDir } from "../env/toolchain.ts";

const SYS_DESCR = "1.3.6.1.2.1.1.1.0";
const SYS_NAME = "1.3.6.1.2.1.1.5.0";

function get(session: snmp.Session, oids: string[]): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (err, vbs) => {
      session.close();
      if (err || !vbs) return reject(err ?? new Error("no varbinds"));
      for (const vb of vbs)
        if (snmp.isVarbindError(vb)) return reject(new Error(snmp.varbindError(vb)));
      resolve(vbs);
    });
  });
}

function v2c(port: number, community: string): snmp.Session {
  return snmp.createSession("127.0.0.1", community, {
    port,
    version: snmp.Version2c,
    timeout: 2000,
    retries: 1,
  });
}

function v3(port: number, u: SnmpV3User, context = "", authKey = u.authKey): snmp.Session {
  return snmp.createV3Session(
    "127.0.0.1",
    {
      name: u.user,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols.sha,
      authKey,
      privProtocol: snmp.PrivProtocols.aes,
      privKey: u.privKey,
    },
    { port, version: snmp.Version3, context, timeout: 2000, retries: 1 },
  );
}

/** The value a .snmprec recording holds for an OID (tag 4 = string, 4x = hex string). */
function recorded(file: string, oid: string): string {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${oid}|`));
  assert.ok(line, `${oid} not in ${file}`);
  const [, tag, value = ""] = line.split("|");
  return tag === "4x" ? Buffer.from(value, "hex").toString() : value;
}

describe("snmpd and snmpsim", () => {
  let env: EnvWith<{ snmp: true }>;

  before(async () => {
    env = await startEnv({ snmp: true });
  });
  after(() => env?.stop());

  it("snmpd answers sysDescr.0 over v2c", async () => {
    const [descr, name] = await get(v2c(env.snmpd.port, env.snmpd.community), [
      SYS_DESCR,
      SYS_NAME,
    ]);
    assert.match(
      String(descr?.value),
      new RegExp(`^Linux .* ${release().replace(/[.+]/g, "\\$&")} `),
    );
    assert.equal(String(name?.value), env.snmpd.sysName);
  });

  it("snmpd answers sysDescr.0 over v3 authPriv (SHA/AES) and refuses a wrong key", async () => {
    const [descr] = await get(v3(env.snmpd.port, env.snmpd.v3), [SYS_DESCR]);
    assert.match(String(descr?.value), /^Linux /);
    await assert.rejects(
      get(v3(env.snmpd.port, env.snmpd.v3, "", "wrong-auth-key"), [SYS_DESCR]),
      /Wrong Digest/,
    );
    await assert.rejects(get(v2c(env.snmpd.port, "public"), [SYS_DESCR]), /timed out/i);
  });

  it("snmpsim serves the recorded linux-full-walk device over v2c and v3", async () => {
    const file = join(sharedDir, "testdata/snmp/snmpsim/linux-full-walk.snmprec");
    const expected = recorded(file, SYS_DESCR);
    assert.match(expected, /^Linux cray 2\.6\.21\.5-smp/);
    const [viaV2c] = await get(v2c(env.snmpsim.port, "linux-full-walk"), [SYS_DESCR]);
    assert.equal(String(viaV2c?.value), expected);
    const [viaV3] = await get(v3(env.snmpsim.port, env.snmpsim.v3, "linux-full-walk"), [SYS_DESCR]);
    assert.equal(String(viaV3?.value), expected);
  });

  it("snmpsim serves every device recording (e.g. the APC PDU by its v3 context)", async () => {
    assert.ok(env.snmpsim.recordings.includes("apc-7902b"));
    assert.ok(env.snmpsim.recordings.includes("cisco-c3560")); // decompressed from .bz2
    const file = join(sharedDir, "testdata/snmp/snmpsim-data/apc-7902b.snmprec");
    const [name] = await get(v3(env.snmpsim.port, env.snmpsim.v3, "apc-7902b"), [SYS_NAME]);
    assert.equal(String(name?.value), recorded(file, SYS_NAME));
  });
});
