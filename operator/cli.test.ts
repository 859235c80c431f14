import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { parseOperatorArgs } from "./main.ts";

const exec = promisify(execFile);
const cli = new URL("./cli.ts", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("amoskys CLI", () => {
  it("prints the package version", async () => {
    const { stdout } = await exec(process.execPath, [cli, "version"]);
    assert.equal(stdout.trim(), version);
  });

  it("answers --help, -h and --version, and --help of every subcommand after loading its module", async () => {
    assert.match(
      (await exec(process.execPath, [cli, "--help"])).stdout,
      /^usage: amoskys <command>/,
    );
    assert.match((await exec(process.execPath, [cli, "-h"])).stdout, /commands:/);
    assert.equal((await exec(process.execPath, [cli, "--version"])).stdout.trim(), version);
    for (const sub of ["operator", "agent", "analytics", "up", "get"]) {
      const { stdout } = await exec(process.execPath, [cli, sub, "--help"]);
      assert.match(stdout, new RegExp(`^usage: amoskys ${sub} `), sub);
    }
  });

  it("rejects an unknown command with exit code 2 and says why", async () => {
    await assert.rejects(
      exec(process.execPath, [cli, "frobnicate"]),
      (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 2);
        assert.match(err.stderr ?? "", /unknown command "frobnicate"/);
        return true;
      },
    );
  });

  it("operator: --nats-secret is optional and must be a Secret name", () => {
    const base = ["--collector-image=i", "--nats-url=tls://n:4222"];
    assert.equal(parseOperatorArgs(base).natsSecret, undefined);
    assert.equal(
      parseOperatorArgs([...base, "--nats-secret=amoskys-nats"]).natsSecret,
      "amoskys-nats",
    );
    // It becomes a field selector: no way to widen it.
    assert.throws(
      () => parseOperatorArgs([...base, "--nats-secret=x,metadata.namespace!=y"]),
      /--nats-secret must be a Secret name/,
    );
  });
});
