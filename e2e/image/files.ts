// What the product image holds, read from the Dockerfile's last stage and
// .dockerignore: the one list that `npm run image` builds from and the image
// test checks, so the two cannot drift from what `docker buildx` would copy.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../env/toolchain.ts";

export interface ImageConfig {
  workdir: string;
  env: Record<string, string>;
  user: string;
  entrypoint: string[];
  cmd: string[];
  labels: Record<string, string>;
  /** COPY sources of the last stage (not --from), relative to the repository. */
  copies: string[];
  /** RUN commands of the last stage, each split at `&&` into its commands. */
  runs: string[][];
}

/** Joins backslash-continued lines and drops comments. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** KEY=VALUE pairs as in ENV and LABEL (values may be double-quoted). */
function pairs(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of rest.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const [, k, v] = m as unknown as [string, string, string];
    out[k] = v.startsWith('"') ? (JSON.parse(v) as string) : v;
  }
  return out;
}

export function parseDockerfile(text: string): ImageConfig {
  const stages = instructions(text).reduce<string[][]>((acc, line) => {
    if (/^FROM\s/i.test(line)) acc.push([]);
    acc.at(-1)?.push(line);
    return acc;
  }, []);
  const last = stages.at(-1) ?? [];
  const cfg: ImageConfig = {
    workdir: "/",
    env: {},
    user: "root",
    entrypoint: [],
    cmd: [],
    labels: {},
    copies: [],
    runs: [],
  };
  for (const line of last) {
    const [word = "", ...restWords] = line.split(/\s+/);
    const rest = restWords.join(" ");
    switch (word.toUpperCase()) {
      case "WORKDIR":
        cfg.workdir = rest;
        break;
      case "ENV":
        Object.assign(cfg.env, pairs(rest));
        break;
      case "LABEL":
        Object.assign(cfg.labels, pairs(rest));
        break;
      case "USER":
        cfg.user = rest;
        break;
      case "ENTRYPOINT":
        cfg.entrypoint = JSON.parse(rest) as string[];
        break;
      case "CMD":
        cfg.cmd = JSON.parse(rest) as string[];
        break;
      case "RUN":
        cfg.runs.push(rest.split("&&").map((c) => c.trim().replace(/\s+/g, " ")));
        break;
      case "COPY": {
        if (restWords.some((w) => w.startsWith("--from="))) break;
        const args = restWords.filter((w) => !w.startsWith("--"));
        cfg.copies.push(...args.slice(0, -1));
        break;
      }
    }
  }
  return cfg;
}

/** What the last stage's RUN steps leave in the image, as far as `npm run image` mirrors them. */
export interface RunStep {
  /** Packages apt-get installs and does not purge or remove again. */
  packages: string[];
  /** Each `setcap CAPS FILE`. */
  setcaps: { caps: string; file: string }[];
  /** Whether a `find / … -perm /6000 … chmod a-s` clears every setuid/setgid bit. */
  clearsSetid: boolean;
}

export function runStep(cfg: ImageConfig): RunStep {
  const commands = cfg.runs.flat();
  const apt = (verbs: string) =>
    commands.flatMap((c) => {
      const m = new RegExp(`(?:^|\\s)apt-get (?:${verbs}) (.*)$`).exec(c);
      return m ? (m[1] as string).split(" ").filter((w) => w && !w.startsWith("-")) : [];
    });
  const removed = apt("purge|remove");
  return {
    packages: apt("install").filter((p) => !removed.includes(p)),
    setcaps: commands.flatMap((c) => {
      const m = /^setcap (\S+) (\S+)$/.exec(c);
      return m ? [{ caps: m[1] as string, file: m[2] as string }] : [];
    }),
    clearsSetid: commands.some((c) =>
      /^find \/ (?:.* )?-type f -perm \/6000 -exec chmod a-s \{\} \+$/.test(c),
    ),
  };
}

/** A .dockerignore pattern as a RegExp over slash-separated relative paths. */
function ignoreRegExp(pattern: string): RegExp {
  let re = "";
  const p = pattern.replace(/^\/+|\/+$/g, "");
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === "*" && p[i + 1] === "*") {
      re += p[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += p[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A pattern that names a folder excludes everything under it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

export function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = instructions(text).map((l) => ({
    negate: l.startsWith("!"),
    re: ignoreRegExp(l.replace(/^!/, "")),
  }));
  // Docker's rule: the last matching line decides.
  return (path) => rules.reduce((ignored, r) => (r.re.test(path) ? !r.negate : ignored), false);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function readImageConfig(root = repoRoot): ImageConfig {
  return parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
}

/**
 * The repository files the image's last stage copies (relative paths, which
 * are also their paths under WORKDIR), with .dockerignore applied. Tracked and
 * untracked files alike, as the build context has them.
 */
export function imageFiles(root = repoRoot): string[] {
  const ignored = ignoreMatcher(readFileSync(join(root, ".dockerignore"), "utf8"));
  const files = readImageConfig(root).copies.flatMap((src) => {
    const abs = join(root, src);
    return statSync(abs).isDirectory() ? walk(abs) : [abs];
  });
  return files
    .map((f) => relative(root, f))
    .filter((f) => !ignored(f))
    .sort();
}
