import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";

const exec = promisify(execFile);
const cli = new URL("./cli.ts", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("amoskys CLI", () => {
  it("prints the package version", async () => {
    const { stdout } = await exec(process.execPath, [cli, "version"]);
    assert.equal(stdout.trim(), version);
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
});
