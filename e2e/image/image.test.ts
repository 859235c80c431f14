// What the image ships, checked from the Dockerfile and .dockerignore without
// building it: every module the shipped code imports is shipped (the agent once
// crashed at import on a bench file that needed e2e/), no test code is shipped,
// and the user is numeric so the kubelet can enforce runAsNonRoot.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../env/toolchain.ts";
import { checkRunStep } from "./build.ts";
import { ignoreMatcher, imageFiles, parseDockerfile, readImageConfig } from "./files.ts";
import { checkImports } from "./imports.ts";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

describe("the product image's contents", () => {
  const files = imageFiles();

  it("holds every module its code imports, and only production dependencies", () => {
    const problems = checkImports(repoRoot, files, Object.keys(pkg.dependencies));
    assert.deepEqual(
      problems.map((p) => `${p.file} imports ${p.specifier}: ${p.reason}`),
      [],
    );
  });

  it("holds the entry point of every subcommand `amoskys help` lists", () => {
    const cli = readFileSync(join(repoRoot, "operator/cli.ts"), "utf8");
    const targets = [...cli.matchAll(/import\("(\.[^"]+)"\)/g)].map((m) =>
      join("operator", m[1] as string),
    );
    assert.ok(targets.length >= 5, `subcommand modules found: ${targets.join(", ")}`);
    for (const t of targets) assert.ok(files.includes(t), `${t} is not in the image`);
    assert.ok(files.includes("operator/cli.ts") && files.includes("package.json"));
  });

  it("ships no tests, benchmarks, fixtures or e2e code", () => {
    const testish = files.filter((f) =>
      /(^e2e\/|\.test\.ts$|(^|\/)(bench|fuzz|testing|testutil|testdata)(\.ts|\/))/.test(f),
    );
    assert.deepEqual(testish, []);
  });

  it("runs as a numeric non-root user, with OCI labels", () => {
    const cfg = readImageConfig();
    assert.match(cfg.user, /^[1-9]\d*:[1-9]\d*$/, `USER ${cfg.user}: numeric uid:gid, not root`);
    for (const l of ["title", "source", "licenses"])
      assert.ok(cfg.labels[`org.opencontainers.image.${l}`], `label org.opencontainers.image.${l}`);
    assert.deepEqual(cfg.entrypoint, ["node", "operator/cli.ts"]);
  });
});

describe("Dockerfile and .dockerignore parsing", () => {
  it("reads the last stage only, joining continued lines", () => {
    const cfg = parseDockerfile(
      [
        "FROM a AS deps",
        "COPY x ./",
        "FROM b",
        'ENV A=1 B="two words"',
        "LABEL k=v \\",
        '  k2="v 2"',
        "COPY --from=deps /n ./n",
        "COPY one two ./",
        "USER 1000:1000",
        'ENTRYPOINT ["node", "cli.ts"]',
      ].join("\n"),
    );
    assert.deepEqual(cfg.copies, ["one", "two"]);
    assert.deepEqual(cfg.env, { A: "1", B: "two words" });
    assert.deepEqual(cfg.labels, { k: "v", k2: "v 2" });
    assert.equal(cfg.user, "1000:1000");
  });

  it("matches as Docker does: **, folders, and the last matching line wins", () => {
    const ignored = ignoreMatcher("e2e\n**/*.test.ts\n**/testdata\n!keep/testdata\n");
    assert.equal(ignored("e2e/env/index.ts"), true);
    assert.equal(ignored("agents/a.test.ts"), true);
    assert.equal(ignored("a.test.ts"), true);
    assert.equal(ignored("agents/x/testdata/f.json"), true);
    assert.equal(ignored("keep/testdata/f.json"), false);
    assert.equal(ignored("agents/e2e.ts"), false);
    assert.equal(ignored("agents/a.ts"), false);
  });

  it("fails the build when the RUN step stops installing tcpdump, setting its capabilities or clearing setuid/setgid bits", () => {
    const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    checkRunStep(parseDockerfile(dockerfile)); // the real one is what build.ts mirrors
    const changed = (from: string, to: string) => {
      assert.ok(dockerfile.includes(from), `the Dockerfile has ${from}`);
      return parseDockerfile(dockerfile.replace(from, to));
    };
    const variants = {
      "no tcpdump": changed("install -y --no-install-recommends tcpdump", "install -y"),
      "another package": changed("tcpdump libcap2-bin", "tcpdump curl libcap2-bin"),
      "other capabilities": changed(
        "setcap cap_net_raw,cap_net_admin=eip",
        "setcap cap_net_raw=ep",
      ),
      "no setcap": changed("&& setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump", ""),
      "setuid bits kept": changed("&& find / -xdev -type f -perm /6000 -exec chmod a-s {} +", ""),
    };
    for (const [what, cfg] of Object.entries(variants))
      assert.throws(() => checkRunStep(cfg), /RUN step changed/, what);
  });
});
