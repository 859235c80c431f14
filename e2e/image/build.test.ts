// The images `npm run image` builds, unpacked again as a node would: tcpdump is
// there with the file capabilities the Dockerfile's setcap gives it (umoci keeps
// the security.capability xattr in the layer), every library it needs is there
// (it runs from the rootfs alone: chroot for amd64, qemu-user for arm64), and no
// file is setuid or setgid (the Dockerfile's `find / -perm /6000 … chmod a-s`).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type Arch, buildImage } from "./build.ts";

const run = promisify(execFile);
const ARCHES: Arch[] = ["amd64", "arm64"];

describe("the built image's tcpdump, on both architectures", { timeout: 900_000 }, () => {
  let archives: string[] = [];
  let work = "";
  const rootfses = new Map<Arch, string>();

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "amoskys-image-test-"));
    archives = await buildImage(ARCHES);
  });
  after(() => rm(work, { recursive: true, force: true }));

  async function unpack(arch: Arch): Promise<string> {
    const oci = join(work, `oci-${arch}`);
    await mkdir(oci);
    await run("tar", ["-C", oci, "-xf", archives[ARCHES.indexOf(arch)] as string]);
    const index = JSON.parse(await readFile(join(oci, "index.json"), "utf8")) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    const ref = index.manifests[0]?.annotations?.["org.opencontainers.image.ref.name"];
    assert.ok(ref, "the archive's index names its image");
    const bundle = join(work, `bundle-${arch}`);
    await run("umoci", ["unpack", "--image", `${oci}:${ref}`, bundle], { maxBuffer: 16 << 20 });
    return join(bundle, "rootfs");
  }

  for (const arch of ARCHES) {
    it(`${arch}: /usr/bin/tcpdump with cap_net_admin,cap_net_raw=eip runs from the rootfs alone, and nothing is setuid/setgid`, async () => {
      const rootfs = await unpack(arch);
      rootfses.set(arch, rootfs);
      const tcpdump = join(rootfs, "usr/bin/tcpdump");
      assert.ok(existsSync(tcpdump), `${arch}: no /usr/bin/tcpdump in the image`);

      const caps = (await run("getcap", [tcpdump])).stdout.trim();
      assert.equal(caps, `${tcpdump} cap_net_admin,cap_net_raw=eip`);

      // A library missing from the rootfs makes the loader fail before main.
      const [cmd, args] =
        arch === "amd64"
          ? ["chroot", [rootfs, "/usr/bin/tcpdump", "--version"]]
          : ["qemu-aarch64-static", ["-L", rootfs, tcpdump, "--version"]];
      const out = await run(cmd as string, args as string[]).catch((err: Error) => {
        throw new Error(`${arch}: tcpdump --version failed in the rootfs: ${err.message}`);
      });
      assert.match(out.stdout + out.stderr, /^tcpdump version \d+\.\d+/m);
      assert.match(out.stdout + out.stderr, /^libpcap version \d+\.\d+/m);

      const setid = (
        await run("find", [rootfs, "-xdev", "-type", "f", "-perm", "/6000"], {
          maxBuffer: 16 << 20,
        })
      ).stdout.trim();
      assert.equal(setid, "", `${arch}: setuid/setgid files in the image`);
    });
  }

  it("node_modules links point inside the image, not into the build host's cache", async () => {
    for (const [arch, rootfs] of rootfses) {
      const absolute = (await run("find", [join(rootfs, "app"), "-type", "l", "-lname", "/*"]))
        .stdout;
      assert.equal(absolute.trim(), "", `${arch}: absolute symlinks under /app`);
    }
    assert.equal(rootfses.size, ARCHES.length);
  });
});
