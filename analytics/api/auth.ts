// Who is calling, and may they: bearer tokens checked either by the
// Kubernetes apiserver (TokenReview, then SubjectAccessReview per access) or
// against one embedded token (a mounted Secret file), compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Registry } from "prom-client";
import type { KubeClient } from "../../operator/kube/client.ts";
import { counter } from "../../operator/kube/metrics.ts";

export interface Identity {
  user: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** One access a route makes, in Kubernetes RBAC terms (API group amoskys.io). */
export interface Access {
  verb: "get" | "patch";
  resource: "findings" | "devices";
  /** Absent or "": every namespace. */
  namespace?: string;
  name?: string;
}

export interface Authenticator {
  readonly mode: "kubernetes" | "embedded";
  /** The caller, or undefined if the token is not valid. Throws when it cannot tell (apiserver down). */
  authenticate(token: string): Promise<Identity | undefined>;
  /** Whether the caller may make this access. Throws when it cannot tell. */
  authorize(id: Identity, access: Access): Promise<boolean>;
}

/**
 * A small TTL cache of promises: concurrent look-ups of one key share one
 * request; failures are not cached; the oldest entries go beyond `max`.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { until: number; value: Promise<V> }>();
  private readonly max: number;
  private readonly now: () => number;
  constructor(max: number, now: () => number = Date.now) {
    this.max = max;
    this.now = now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value of `key`, or `load()`'s, kept for `ttl(value)` ms (0: not kept). */
  async get(
    key: string,
    load: () => Promise<V>,
    ttl: (v: V) => number,
  ): Promise<{ value: V; hit: boolean }> {
    const e = this.entries.get(key);
    if (e && e.until > this.now()) return { value: await e.value, hit: true };
    if (e) this.entries.delete(key);
    const value = load();
    // Held while in flight, so concurrent callers wait for the same request.
    const entry = { until: Number.POSITIVE_INFINITY, value };
    this.entries.set(key, entry);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    try {
      const v = await value;
      const keep = ttl(v);
      if (keep > 0) entry.until = this.now() + keep;
      else if (this.entries.get(key) === entry) this.entries.delete(key);
      return { value: v, hit: false };
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
  }
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

export interface KubernetesAuthOptions {
  kube: KubeClient;
  /** Audiences the token must be for (TokenReview spec.audiences); default: the apiserver's. */
  audiences?: string[];
  /** Check every access with a SubjectAccessReview (default true). */
  authorize?: boolean;
  /** API group of the resources checked. Default amoskys.io. */
  group?: string;
  /** How long a valid token / an allowed access is remembered. Default 30 s. */
  cacheTtlMs?: number;
  /** How long an invalid token / a denied access is remembered. Default 5 s. */
  negativeCacheTtlMs?: number;
  /** Entries per cache. Default 10 000. */
  maxEntries?: number;
  registry?: Registry;
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

/**
 * Kubernetes mode: TokenReview (authentication.k8s.io/v1) authenticates, and
 * SubjectAccessReview (authorization.k8s.io/v1) authorizes each access, both
 * cached briefly (keyed by the token's SHA-256, never the token). The
 * API's own identity needs `create` on tokenreviews and subjectaccessreviews
 * (the built-in ClusterRole system:auth-delegator).
 */
export function kubernetesAuth(o: KubernetesAuthOptions): Authenticator {
  const positive = o.cacheTtlMs ?? 30_000;
  const negative = o.negativeCacheTtlMs ?? 5_000;
  const max = o.maxEntries ?? 10_000;
  const group = o.group ?? "amoskys.io";
  const tokens = new TtlCache<Identity | undefined>(max);
  const decisions = new TtlCache<boolean>(max);
  const reviews = o.registry
    ? counter(
        o.registry,
        "amoskys_analytics_api_reviews_total",
        "TokenReviews and SubjectAccessReviews, by kind, result (allowed, denied, error) and whether the cache answered.",
        ["kind", "result", "cached"],
      )
    : undefined;
  const count = (kind: string, result: string, cached: boolean) =>
    reviews?.inc({ kind, result, cached: String(cached) });

  return {
    mode: "kubernetes",
    async authenticate(token) {
      try {
        const { value, hit } = await tokens.get(
          sha256(token).toString("hex"),
          async () => {
            const review = await o.kube.create({
              apiVersion: "authentication.k8s.io/v1",
              kind: "TokenReview",
              metadata: {},
              spec: { token, ...(o.audiences && { audiences: o.audiences }) },
            } as never);
            const s = (review as { status?: TokenReviewStatus }).status;
            if (!s?.authenticated || !s.user?.username) return undefined;
            return {
              user: s.user.username,
              groups: s.user.groups ?? [],
              ...(s.user.uid && { uid: s.user.uid }),
              ...(s.user.extra && { extra: s.user.extra }),
            };
          },
          (id) => (id ? positive : negative),
        );
        count("TokenReview", value ? "allowed" : "denied", hit);
        return value;
      } catch (err) {
        count("TokenReview", "error", false);
        throw err;
      }
    },
    async authorize(id, a) {
      if (o.authorize === false) return true;
      const ra = {
        group,
        resource: a.resource,
        verb: a.verb,
        namespace: a.namespace ?? "",
        ...(a.name && { name: a.name }),
      };
      const key = JSON.stringify([id.user, id.uid ?? "", id.groups, ra]);
      try {
        const { value, hit } = await decisions.get(
          key,
          async () => {
            const review = await o.kube.create({
              apiVersion: "authorization.k8s.io/v1",
              kind: "SubjectAccessReview",
              metadata: {},
              spec: {
                user: id.user,
                groups: id.groups,
                ...(id.uid && { uid: id.uid }),
                ...(id.extra && { extra: id.extra }),
                resourceAttributes: ra,
              },
            } as never);
            return (review as { status?: { allowed?: boolean } }).status?.allowed === true;
          },
          (allowed) => (allowed ? positive : negative),
        );
        count("SubjectAccessReview", value ? "allowed" : "denied", hit);
        return value;
      } catch (err) {
        count("SubjectAccessReview", "error", false);
        throw err;
      }
    },
  };
}

export interface EmbeddedAuthOptions {
  /** The token itself (e.g. from an environment variable). */
  token?: string;
  /** Or a file holding it (a mounted Secret key), re-read every `reloadMs` so rotation applies. */
  tokenFile?: string;
  /** Default 10 s. */
  reloadMs?: number;
  /** The identity a valid token stands for. Default "amoskys-api". */
  user?: string;
}

/**
 * Embedded mode: one shared token. Both sides are hashed with SHA-256 before
 * timingSafeEqual, so neither the content nor the length leaks through timing.
 * An empty or missing token file refuses every request (fails closed).
 * Every authenticated caller may do everything.
 */
export function embeddedAuth(o: EmbeddedAuthOptions): Authenticator {
  if (o.token === undefined && o.tokenFile === undefined) {
    throw new Error("embeddedAuth needs token or tokenFile");
  }
  const reloadMs = o.reloadMs ?? 10_000;
  let expected: Buffer | undefined = o.token?.trim() ? sha256(o.token.trim()) : undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  // One read at a time, shared: a request arriving during a reload waits for
  // it instead of seeing the token as not loaded yet.
  let reading: Promise<Buffer | undefined> | undefined;
  const current = (): Promise<Buffer | undefined> => {
    const file = o.tokenFile;
    if (file === undefined) return Promise.resolve(expected);
    if (reading) return reading;
    if (Date.now() - loadedAt < reloadMs) return Promise.resolve(expected);
    loadedAt = Date.now();
    reading = readFile(file, "utf8")
      .then(
        (t) => (t.trim() ? sha256(t.trim()) : undefined),
        () => undefined,
      )
      .then((v) => {
        expected = v;
        reading = undefined;
        return v;
      });
    return reading;
  };
  const id: Identity = { user: o.user ?? "amoskys-api", groups: [] };
  return {
    mode: "embedded",
    async authenticate(token) {
      const want = await current();
      if (!want || token === "") return undefined;
      return timingSafeEqual(sha256(token), want) ? id : undefined;
    },
    async authorize() {
      return true;
    },
  };
}
