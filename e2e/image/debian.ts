// A Debian binary and the shared libraries it needs, as files to copy into an
// image's rootfs: for amd64 the host's own (bookworm, as `ldd` finds them), for
// arm64 the same packages at the same versions, downloaded as .deb from the
// Debian archive apt uses here and extracted with `dpkg-deb -x` (no
// `dpkg --add-architecture` on the host). The arm64 files are cached by
// package versions under ~/.cache/amoskys/debian-arm64-<key>.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, mkdtemp, readlink, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { cacheDir } from "../env/toolchain.ts";

const run = promisify(execFile);

/** A file of the binary's closure: its path on the host (amd64) and the package that owns it. */
export interface HostFile {
  path: string;
  pkg: string;
}

/** A file to put in the image: `path` in the rootfs, copied (dereferenced) from `src`. */
export interface ImageFile {
  path: string;
  src: string;
}

/** A dpkg-query -f format that prints one field. */
const field = (name: string) => `\${${name}}`;

const ARCHIVES = ["http://deb.debian.org/debian", "http://deb.debian.org/debian-security"];

/** The Debian package that owns a host path (bookworm: /lib may be registered as /usr/lib). */
async function owner(path: string): Promise<string> {
  const real = (await run("readlink", ["-f", path])).stdout.trim();
  const tries = [path, real, path.startsWith("/usr/") ? path.slice(4) : `/usr${path}`];
  for (const p of tries) {
    try {
      const out = (await run("dpkg-query", ["-S", p])).stdout;
      const pkg = out.split("\n")[0]?.split(":")[0]?.trim();
      if (pkg) return pkg;
    } catch {}
  }
  throw new Error(`no Debian package owns ${path}`);
}

/** The host's binary and every shared library `ldd` lists for it, with their packages. */
export async function hostClosure(binary: string): Promise<HostFile[]> {
  const ldd = (await run("ldd", [binary])).stdout;
  const libs = [...ldd.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((m) => m[1] as string);
  if (libs.length === 0) throw new Error(`ldd ${binary}: no libraries (${ldd.trim()})`);
  const paths = [binary, ...libs];
  return Promise.all(paths.map(async (path) => ({ path, pkg: await owner(path) })));
}

/** Installed versions on the host, as `dpkg-query -W -f '${Version}'` prints them. */
export async function hostVersions(pkgs: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of [...new Set(pkgs)].sort()) {
    out[p] = (await run("dpkg-query", ["-W", "-f", field("Version"), p])).stdout.trim();
    if (!out[p]) throw new Error(`${p} is not installed on this machine`);
  }
  return out;
}

/** The amd64 path of a host file as the arm64 image holds it. */
export function arm64Path(path: string): string {
  if (path === "/lib64/ld-linux-x86-64.so.2") return "/lib/ld-linux-aarch64.so.1";
  return path.replaceAll("x86_64-linux-gnu", "aarch64-linux-gnu");
}

/** Pool URLs where pkg_version_arm64.deb may be: apt's Filename for amd64, then by source name. */
async function poolUrls(pkg: string, version: string): Promise<string[]> {
  const urls: string[] = [];
  const noEpoch = version.replace(/^\d+:/, "");
  try {
    const show = (await run("apt-cache", ["show", `${pkg}=${version}`])).stdout;
    const filename = /^Filename: (\S+)$/m.exec(show)?.[1];
    if (filename) {
      const arm = filename.replace(/_amd64\.deb$/, "_arm64.deb");
      urls.push(`${filename.startsWith("pool/updates/") ? ARCHIVES[1] : ARCHIVES[0]}/${arm}`);
    }
  } catch {}
  // apt no longer lists a superseded version; the pools still hold it.
  const src = (await run("dpkg-query", ["-W", "-f", field("source:Package"), pkg])).stdout.trim();
  const dir = `${src.startsWith("lib") ? src.slice(0, 4) : src[0]}/${src}`;
  const file = `${pkg}_${noEpoch}_arm64.deb`;
  urls.push(
    `${ARCHIVES[0]}/pool/main/${dir}/${file}`,
    `${ARCHIVES[1]}/pool/updates/main/${dir}/${file}`,
  );
  return [...new Set(urls)];
}

async function download(pkg: string, version: string, dest: string): Promise<string> {
  const tried: string[] = [];
  for (const url of await poolUrls(pkg, version)) {
    const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) {
      tried.push(`${url}: ${res.status}`);
      continue;
    }
    await writeFile(dest, Buffer.from(await res.arrayBuffer()));
    const fields = (await run("dpkg-deb", ["-f", dest, "Package", "Version", "Architecture"]))
      .stdout;
    const want = `Package: ${pkg}\nVersion: ${version}\nArchitecture: arm64\n`;
    if (fields !== want) throw new Error(`${url}: control fields ${JSON.stringify(fields)}`);
    return url;
  }
  throw new Error(`${pkg}=${version} for arm64 not found:\n${tried.join("\n")}`);
}

/** A path inside an extracted package tree, following symlinks inside that tree. */
async function resolveIn(root: string, path: string): Promise<string | undefined> {
  const alt = path.startsWith("/usr/") ? path.slice(4) : `/usr${path}`;
  for (const start of [path, alt]) {
    let cur = join(root, start);
    for (let hops = 0; hops < 16 && existsSync(cur); hops++) {
      if (!(await lstat(cur)).isSymbolicLink()) return cur;
      const target = await readlink(cur);
      cur = target.startsWith("/") ? join(root, target) : join(dirname(cur), target);
    }
  }
  return undefined;
}

/**
 * The arm64 files for these host files (same packages, same versions), from
 * the cache or downloaded now. Returns image paths and where to copy them from.
 */
export async function arm64Files(
  files: HostFile[],
  versions: Record<string, string>,
): Promise<ImageFile[]> {
  const wanted = files
    .map((f) => ({ path: arm64Path(f.path), pkg: f.pkg }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const pkgs = [...new Set(wanted.map((w) => w.pkg))].sort();
  const manifest = [
    ...pkgs.map((p) => `${p}=${versions[p]}`),
    ...wanted.map((w) => `${w.path} ${w.pkg}`),
  ].join("\n");
  const key = createHash("sha256").update(manifest).digest("hex").slice(0, 16);
  const dir = join(cacheDir, `debian-arm64-${key}`);
  const out = wanted.map((w) => ({ path: w.path, src: join(dir, "files", w.path) }));
  if (existsSync(join(dir, "packages.txt"))) return out;

  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(join(cacheDir, ".debian-arm64-"));
  try {
    const urls: string[] = [];
    for (const p of pkgs) {
      const deb = join(tmp, `${p}.deb`);
      urls.push(await download(p, versions[p] as string, deb));
      await mkdir(join(tmp, "x", p), { recursive: true });
      await run("dpkg-deb", ["-x", deb, join(tmp, "x", p)]);
    }
    for (const w of wanted) {
      const found = await resolveIn(join(tmp, "x", w.pkg), w.path);
      if (!found) throw new Error(`${w.pkg} (arm64) has no ${w.path}`);
      const dest = join(tmp, "files", w.path);
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(found, dest);
    }
    for (const p of pkgs) await rm(join(tmp, `${p}.deb`));
    await rm(join(tmp, "x"), { recursive: true });
    await writeFile(join(tmp, "packages.txt"), `${manifest}\n${urls.join("\n")}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return out;
}

/** The DT_NEEDED sonames of an ELF file of either architecture. */
async function needed(file: string): Promise<string[]> {
  const out = (await run("readelf", ["-d", file], { maxBuffer: 4 << 20 })).stdout;
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] as string);
}

/**
 * Throws unless every library the files need is among them or already in the
 * rootfs's library directories (for arm64, whose closure was taken from amd64's).
 */
export async function checkClosure(
  files: ImageFile[],
  inRootfs: (soname: string) => boolean,
): Promise<void> {
  const have = new Set(files.map((f) => basename(f.path)));
  const missing: string[] = [];
  for (const f of files) {
    for (const so of await needed(f.src)) {
      if (!have.has(so) && !inRootfs(so)) missing.push(`${f.path} needs ${so}`);
    }
  }
  if (missing.length) throw new Error(`libraries missing from the image:\n${missing.join("\n")}`);
}
