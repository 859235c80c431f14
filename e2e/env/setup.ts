// npm run setup:test-env — installs what the real test environment needs,
// idempotently: Debian packages (apt) and Go binaries built from the committed
// helper modules in e2e/env/go/ (cached under ~/.cache/amoskys/<name>-<version>/).
//
//   --check   only report what is missing (exit 1 if anything is)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  cacheDir,
  type GoTarget,
  missingDebianPackages,
  missingGoTargets,
  missingNodeImages,
  nodeScripts,
  repoRoot,
  targetBinaries,
  targetDir,
} from "./toolchain.ts";

function sh(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...opts });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

function log(msg: string): void {
  console.log(`[setup:test-env] ${msg}`);
}

async function installDebian(pkgs: string[]): Promise<void> {
  if (!pkgs.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; as root run: apt-get install -y ${pkgs.join(" ")}`);
  }
  log(`apt-get install ${pkgs.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await sh("apt-get", ["update", "-q"], { env });
  await sh("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...pkgs], { env });
}

function goBinary(): string {
  for (const p of ["/usr/local/go/bin/go", "/usr/lib/go/bin/go"]) if (existsSync(p)) return p;
  return "go";
}

async function buildGo(t: GoTarget): Promise<void> {
  const started = Date.now();
  const out = targetDir(t);
  await mkdir(cacheDir, { recursive: true });
  // Build into a temp dir and rename, so an interrupted build never looks complete.
  const tmp = await mkdtemp(join(cacheDir, `.${t.name}-`));
  log(
    `building ${t.name} ${t.version} (${targetBinaries(t).join(", ")}); the first build takes minutes`,
  );
  try {
    await sh(
      goBinary(),
      [
        "build",
        "-trimpath",
        "-ldflags",
        ["-s", "-w", ...t.ldflags].join(" "),
        ...(t.tags?.length ? ["-tags", t.tags.join(",")] : []),
        "-o",
        `${tmp}/`,
        ...t.packages,
      ],
      {
        env: { ...process.env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
        cwd: join(repoRoot, "e2e/env/go", t.module),
      },
    ).catch((err: Error) => {
      throw new Error(`go build of ${t.name} failed: ${err.message}`);
    });
    await chmod(tmp, 0o755);
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  log(`built ${t.name} ${t.version} in ${((Date.now() - started) / 1000).toFixed(0)}s -> ${out}`);
}

/**
 * The nodes' base images (pause, Node.js for amd64 and arm64), built once by
 * e2e/env/node/images.sh: node from npm, arm64 libraries from debootstrap.
 */
async function buildNodeImages(): Promise<void> {
  const started = Date.now();
  log("building the node images (pause, node amd64 and arm64)");
  const work = await mkdtemp(join(cacheDir, ".images-run-"));
  try {
    // images.sh reads the run's names from node-env.sh, which wants a slot and a dir; it uses neither.
    await sh(join(nodeScripts, "images.sh"), [], {
      env: {
        ...process.env,
        SLOT: "0",
        NODE_DIR: work,
        PATH: `/usr/local/go/bin:${process.env.PATH}`,
      },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log(`built the node images in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}

async function main(): Promise<void> {
  const checkOnly = process.argv.includes("--check");
  const debs = missingDebianPackages();
  const gos = missingGoTargets();
  const images = missingNodeImages();
  if (!debs.length && !gos.length && !images.length) {
    log("everything is installed");
    return;
  }
  if (checkOnly) {
    log(`missing: ${[...debs, ...gos.map((t) => `${t.name} ${t.version}`), ...images].join(", ")}`);
    process.exit(1);
  }
  await installDebian(debs);
  // One at a time: each Go build already uses every core.
  for (const t of gos) await buildGo(t);
  // After the kube build: the pause image compiles pause.c from the Kubernetes module.
  if (missingNodeImages().length) await buildNodeImages();
  log("done");
}

await main();
