// npm run image [-- --out DIR] [--arch amd64,arm64]: the product image as OCI
// archives, one per architecture, without a Docker engine. It holds exactly what
// the Dockerfile's last stage copies (e2e/image/files.ts: COPY list minus
// .dockerignore), node_modules as its deps stage makes them, and its WORKDIR,
// ENV, USER, LABEL, ENTRYPOINT and CMD, on the Node.js base image that
// setup:test-env builds (node from npm's node-linux-<arch>, its libraries),
// plus what its apt-get RUN step adds (tcpdump with its file capabilities; see
// RUN_STEP below, the one place that mirrors it). Archives are cached by
// content under ~/.cache/amoskys/app-images.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import {
  appendFile,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { nodeImagesDir as baseImagesDir, cacheDir, repoRoot } from "../env/toolchain.ts";
import {
  arm64Files,
  arm64Path,
  checkClosure,
  type HostFile,
  hostClosure,
  hostVersions,
  type ImageFile,
} from "./debian.ts";
import { type ImageConfig, imageFiles, readImageConfig, runStep } from "./files.ts";

const run = promisify(execFile);

export type Arch = "amd64" | "arm64";

export function imageRef(arch: Arch): string {
  return `amoskys.local/amoskys:${packageVersion()}-${arch}`;
}

/** The name pods use: each node tags its own arch's archive with it. */
export function imageName(): string {
  return `amoskys.local/amoskys:${packageVersion()}`;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string })
    .version;
}

async function gitRevision(): Promise<string> {
  try {
    return (await run("git", ["rev-parse", "HEAD"], { cwd: repoRoot })).stdout.trim();
  } catch {
    return "unknown";
  }
}

/** node_modules as `npm ci --omit=dev --ignore-scripts` makes them, cached by the lock file. */
async function productionDeps(): Promise<string> {
  const lock = await readFile(join(repoRoot, "package-lock.json"));
  const pkg = await readFile(join(repoRoot, "package.json"));
  const key = createHash("sha256").update(lock).update(pkg).digest("hex").slice(0, 16);
  const dir = join(cacheDir, `image-deps-${key}`);
  if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules");
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(join(cacheDir, ".image-deps-"));
  await writeFile(join(tmp, "package.json"), pkg);
  await writeFile(join(tmp, "package-lock.json"), lock);
  await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: tmp,
    maxBuffer: 16 << 20,
  });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return join(dir, "node_modules");
}

/**
 * The Dockerfile's last stage starts with one RUN step: `apt-get install
 * tcpdump libcap2-bin`, `setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump`,
 * purge libcap2-bin, and `find / -xdev -type f -perm /6000 -exec chmod a-s {} +`.
 * This is what it leaves, and addRunStep mirrors it (here only): Debian
 * bookworm's tcpdump and the libraries it needs, at the host's package
 * versions (the host's own files for amd64, the same .debs for arm64), the
 * tcpdump user its postinst adds, the file capabilities, no setuid/setgid
 * bits. checkRunStep fails the build when the Dockerfile's step no longer says this.
 */
export const RUN_STEP = {
  packages: ["tcpdump"],
  setcaps: [{ caps: "cap_net_raw,cap_net_admin=eip", file: "/usr/bin/tcpdump" }],
  clearsSetid: true,
};
const TCPDUMP = "/usr/bin/tcpdump";

export function checkRunStep(cfg: ImageConfig): void {
  const step = runStep(cfg);
  if (!isDeepStrictEqual(step, RUN_STEP))
    throw new Error(
      `the Dockerfile's RUN step changed: it leaves ${JSON.stringify(step)}, ` +
        `e2e/image/build.ts mirrors ${JSON.stringify(RUN_STEP)}: update RUN_STEP and addRunStep`,
    );
}

/** tcpdump's files on the host and their package versions (also part of the cache key). */
async function tcpdumpPlan(): Promise<{ files: HostFile[]; versions: Record<string, string> }> {
  const files = await hostClosure(TCPDUMP);
  return { files, versions: await hostVersions(files.map((f) => f.pkg)) };
}

async function addRunStep(
  rootfs: string,
  arch: Arch,
  plan: Awaited<ReturnType<typeof tcpdumpPlan>>,
): Promise<void> {
  // The base image already holds the loader and libc (mkimage.sh); keep those.
  const inRootfs = (p: string) => existsSync(join(rootfs, p));
  const todo = plan.files.filter((f) => !inRootfs(arch === "arm64" ? arm64Path(f.path) : f.path));
  const files: ImageFile[] =
    arch === "amd64"
      ? todo.map((f) => ({ path: f.path, src: f.path }))
      : await arm64Files(todo, plan.versions);
  const triple = arch === "amd64" ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
  await checkClosure(files, (so) =>
    [`/lib/${triple}`, `/usr/lib/${triple}`, "/lib", "/lib64", "/usr/lib"].some((d) =>
      inRootfs(`${d}/${so}`),
    ),
  );
  for (const f of files) {
    const dest = join(rootfs, f.path);
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(f.src, dest); // the soname's target under the soname, with its mode
  }
  // tcpdump's postinst: a system user and group of its own.
  for (const db of ["passwd", "group"] as const) {
    const line = (await run("getent", [db, "tcpdump"])).stdout.trim();
    const file = join(rootfs, "etc", db);
    if (!(await readFile(file, "utf8")).split("\n").some((l) => l.startsWith("tcpdump:")))
      await appendFile(file, `${line}\n`);
  }
  for (const { caps, file } of RUN_STEP.setcaps) {
    await run("setcap", [caps, join(rootfs, file)]);
    const got = (await run("getcap", [join(rootfs, file)])).stdout;
    if (!got.includes("cap_net_admin,cap_net_raw=eip"))
      throw new Error(`setcap ${caps} ${file}: getcap says ${got.trim()}`);
  }
  await run("find", [
    rootfs,
    "-xdev",
    "-type",
    "f",
    "-perm",
    "/6000",
    "-exec",
    "chmod",
    "a-s",
    "{}",
    "+",
  ]);
}

function contentKey(
  files: string[],
  arch: Arch,
  revision: string,
  versions: Record<string, string>,
): string {
  const h = createHash("sha256").update(`${arch}\n${revision}\n${JSON.stringify(versions)}\n`);
  const scripts = ["e2e/image/build.ts", "e2e/image/files.ts", "e2e/image/debian.ts"];
  for (const f of [...files, ...scripts, "Dockerfile", ".dockerignore", "package-lock.json"]) {
    h.update(`${f}\n`).update(readFileSync(join(repoRoot, f)));
  }
  h.update(readFileSync(join(baseImagesDir, `node-${arch}.tar`)));
  return h.digest("hex").slice(0, 16);
}

async function umoci(args: string[]): Promise<void> {
  await run("umoci", args, { maxBuffer: 16 << 20 });
}

async function buildArch(
  arch: Arch,
  out: string,
  deps: string,
  revision: string,
  plan: Awaited<ReturnType<typeof tcpdumpPlan>>,
): Promise<void> {
  const cfg = readImageConfig();
  const files = imageFiles();
  const work = await mkdtemp(join(cacheDir, `.app-${arch}-`));
  try {
    const oci = join(work, "oci");
    await mkdir(oci);
    await run("tar", ["-C", oci, "-xf", join(baseImagesDir, `node-${arch}.tar`)]);
    const index = JSON.parse(await readFile(join(oci, "index.json"), "utf8")) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    const baseTag = index.manifests[0]?.annotations?.["org.opencontainers.image.ref.name"];
    if (!baseTag) throw new Error(`node-${arch}.tar: no ref.name annotation`);
    const baseRef = `${oci}:${baseTag}`;
    const bundle = join(work, "bundle");
    await umoci(["unpack", "--image", baseRef, bundle]);
    await addRunStep(join(bundle, "rootfs"), arch, plan);
    const app = join(bundle, "rootfs", cfg.workdir);
    await mkdir(app, { recursive: true });
    // verbatimSymlinks: node_modules/.bin links stay relative (fs.cp makes them absolute host paths).
    await cp(deps, join(app, "node_modules"), { recursive: true, verbatimSymlinks: true });
    for (const f of files) await cp(join(repoRoot, f), join(app, f), { recursive: false });
    await run("chown", ["-R", "0:0", app]); // COPY without --chown
    await umoci(["repack", "--image", `${oci}:app`, bundle]);
    const labels = {
      ...cfg.labels,
      "org.opencontainers.image.version": packageVersion(),
      "org.opencontainers.image.revision": revision,
    };
    await umoci([
      "config",
      "--image",
      `${oci}:app`,
      "--architecture",
      arch,
      "--os",
      "linux",
      "--config.workingdir",
      cfg.workdir,
      "--config.user",
      cfg.user,
      ...Object.entries(cfg.env).flatMap(([k, v]) => ["--config.env", `${k}=${v}`]),
      ...cfg.entrypoint.flatMap((e) => ["--config.entrypoint", e]),
      ...cfg.cmd.flatMap((c) => ["--config.cmd", c]),
      ...Object.entries(labels).flatMap(([k, v]) => ["--config.label", `${k}=${v}`]),
    ]);
    await umoci(["rm", "--image", baseRef]);
    await umoci(["gc", "--layout", oci]);
    const ix = JSON.parse(await readFile(join(oci, "index.json"), "utf8")) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    // ctr import names the image after this annotation: the full ref.
    for (const m of ix.manifests)
      m.annotations = { ...m.annotations, "org.opencontainers.image.ref.name": imageRef(arch) };
    await writeFile(join(oci, "index.json"), JSON.stringify(ix));
    await run("tar", ["-C", oci, "-cf", `${out}.tmp`, "."]);
    await rename(`${out}.tmp`, out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds (or takes from the cache) the image for each arch; returns the archive paths. */
export async function buildImage(arches: Arch[] = ["amd64", "arm64"]): Promise<string[]> {
  for (const a of arches) {
    if (!existsSync(join(baseImagesDir, `node-${a}.tar`)))
      throw new Error(
        `no base image node-${a}.tar in ${baseImagesDir}: run npm run setup:test-env`,
      );
  }
  checkRunStep(readImageConfig());
  const revision = await gitRevision();
  const files = imageFiles();
  const plan = await tcpdumpPlan();
  const deps = await productionDeps();
  const dir = join(cacheDir, "app-images");
  await mkdir(dir, { recursive: true });
  const outs: string[] = [];
  for (const arch of arches) {
    const out = join(
      dir,
      `amoskys-${contentKey(files, arch, revision, plan.versions)}-${arch}.tar`,
    );
    if (!existsSync(out)) await buildArch(arch, out, deps, revision, plan);
    outs.push(out);
  }
  return outs;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const arches = (opt("--arch") ?? "amd64,arm64").split(",") as Arch[];
  const outDir = resolve(opt("--out") ?? "dist/image");
  await mkdir(outDir, { recursive: true });
  for (const [i, tar] of (await buildImage(arches)).entries()) {
    const dest = join(outDir, `amoskys-${arches[i]}.tar`);
    await cp(tar, dest);
    console.log(`${dest}  ${imageRef(arches[i] as Arch)}`);
  }
}
