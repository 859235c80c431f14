// A small generic Kubernetes client over @kubernetes/client-node's
// KubernetesObjectApi: get (404 -> undefined), list, create, replace,
// server-side apply of objects and of their status subresource, merge patch,
// delete (404 = done). Every HTTP request it makes, discovery included, is
// counted in amoskys_operator_api_requests_total{verb,kind,code}, and every
// failure is a KubeApiError carrying the status code, reason and object.
//
// Built-in kinds come back as client-node's typed models (timestamps are
// Dates), as from CoreV1Api & co.; custom resources come back as the JSON
// the apiserver sent (timestamps are strings), as watch events deliver them.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Configuration,
  HttpMethod,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  type V1APIResource,
  type V1Status,
} from "@kubernetes/client-node";
import type { Counter, Registry } from "prom-client";
import { counter } from "./metrics.ts";

/** Which object a call was about (name is absent for lists). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
}

/**
 * A failed API call. `code` is the HTTP status, or 0 when no response came
 * (network error, timeout). `reason` is the Status reason from the apiserver
 * (NotFound, AlreadyExists, Conflict, Forbidden, Invalid, Gone, …), or one of
 * ours: NoKindMatch (the apiVersion/kind is not served), Timeout, Aborted
 * (the caller's signal), NetworkError.
 */
export class KubeApiError extends Error {
  override readonly name = "KubeApiError";
  readonly code: number;
  readonly reason: string;
  readonly verb: string;
  readonly ref: ObjectRef;
  /** The Status object the apiserver answered with, if any. */
  readonly status?: V1Status;
  constructor(
    verb: string,
    ref: ObjectRef,
    code: number,
    reason: string,
    detail: string,
    opts: { status?: V1Status; cause?: unknown } = {},
  ) {
    const what = `${verb} ${describeRef(ref)}`;
    const status = code ? `${code} ${reason}` : reason;
    super(
      `${what}: ${status}${detail ? `: ${detail}` : ""}`,
      opts.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.verb = verb;
    this.ref = ref;
    this.code = code;
    this.reason = reason;
    if (opts.status) this.status = opts.status;
  }
}

/** "ConfigMap default/x", "Widget.example.com default/x", "Namespace x", "ConfigMap in default". */
export function describeRef(ref: ObjectRef): string {
  const group = ref.apiVersion.includes("/") ? `.${ref.apiVersion.split("/")[0]}` : "";
  const ns = ref.namespace ? `${ref.namespace}/` : "";
  const where = ref.name ? ` ${ns}${ref.name}` : ref.namespace ? ` in ${ref.namespace}` : "";
  return `${ref.kind}${group}${where}`;
}

/** The object does not exist (a 404 for the object, not for its kind). */
export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404 && err.reason !== "NoKindMatch";
}
/** A write lost an optimistic-concurrency race (stale resourceVersion) or an apply conflict. */
export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409 && err.reason !== "AlreadyExists";
}
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409 && err.reason === "AlreadyExists";
}

export interface CallOptions {
  /** Aborts the request (in addition to the client's request timeout). */
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** Absent: all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; pages are fetched until the list is complete. Default 500. */
  pageSize?: number;
}

export interface ApplyOptions extends CallOptions {
  /** Defaults to the client's fieldManager. */
  fieldManager?: string;
  /** Take over fields owned by other managers. Default true (a controller owns what it applies). */
  force?: boolean;
  /** Server-side dry run: validated and admitted as a write would be, but not stored. */
  dryRun?: boolean;
}

export interface DeleteOptions extends CallOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
}

/** What an informer needs to list and watch one kind (see startInformer). */
export interface ListWatchSource<T extends KubernetesObject> {
  kind: string;
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  list(): Promise<KubernetesListObject<T>>;
}

export interface KubeClientOptions {
  /** Receives amoskys_operator_api_requests_total{verb,kind,code}. */
  registry: Registry;
  /** Field manager of apply() and applyStatus() unless a call names one. Default "amoskys-operator". */
  fieldManager?: string;
  /** Timeout of every request. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface KubeClient {
  readonly kc: KubeConfig;
  readonly fieldManager: string;
  /** The object, or undefined if it does not exist. */
  get<T extends KubernetesObject = KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    opts?: CallOptions,
  ): Promise<T | undefined>;
  /** Every object (all pages) and the list's resourceVersion. */
  list<T extends KubernetesObject = KubernetesObject>(
    apiVersion: string,
    kind: string,
    opts?: ListOptions,
  ): Promise<KubernetesListObject<T>>;
  create<T extends KubernetesObject>(obj: T, opts?: CallOptions): Promise<T>;
  /** PUT: fails with a 409 Conflict if obj.metadata.resourceVersion is stale. */
  replace<T extends KubernetesObject>(obj: T, opts?: CallOptions): Promise<T>;
  /** Server-side apply; returns the object as stored. */
  apply<T extends KubernetesObject>(obj: T, opts?: ApplyOptions): Promise<T>;
  /**
   * Server-side apply of the status subresource (PATCH …/status): only
   * `status` of obj is written. Works for any kind with a status subresource.
   */
  applyStatus<T extends KubernetesObject>(obj: T, opts?: ApplyOptions): Promise<T>;
  /**
   * JSON merge patch (RFC 7386), for metadata such as finalizers and
   * annotations: lists are replaced whole, null deletes a key. Put
   * metadata.resourceVersion in the patch to make it conditional.
   */
  patchMerge<T extends KubernetesObject = KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    patch: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<T>;
  /** True if a deletion was accepted, false if the object did not exist. */
  delete(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    opts?: DeleteOptions,
  ): Promise<boolean>;
  /** The collection path of a kind, e.g. /api/v1/namespaces/ns/configmaps (discovery, cached). */
  resourcePath(apiVersion: string, kind: string, namespace?: string): Promise<string>;
  /** Path and list function for an informer of this kind. */
  listWatchSource<T extends KubernetesObject = KubernetesObject>(
    apiVersion: string,
    kind: string,
    opts?: { namespace?: string; labelSelector?: string; fieldSelector?: string },
  ): Promise<ListWatchSource<T>>;
  /** Counts a request made outside this client (watches) in the same metric. */
  countRequest(verb: string, kind: string, code: number | string): void;
}

interface Op {
  verb: string;
  ref: ObjectRef;
  signal?: AbortSignal | undefined;
}

// The call a request belongs to: KubernetesObjectApi's own methods end in
// requestPromise (and discovery in resource()), which only see the request.
const currentOp = new AsyncLocalStorage<Op>();

interface Hooks {
  count(verb: string, kind: string, code: string): void;
  timeoutMs: number;
}

class DynamicApi extends KubernetesObjectApi {
  hooks: Hooks = { count: () => {}, timeoutMs: 30_000 };

  init(kc: KubeConfig, hooks: Hooks): this {
    this.setDefaultNamespace(kc);
    this.hooks = hooks;
    return this;
  }

  pathFor(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    return this.specUriPath({ apiVersion, kind, metadata: { namespace } }, "list");
  }

  async applyStatus<T extends KubernetesObject>(
    obj: T,
    fieldManager: string,
    force: boolean,
  ): Promise<T> {
    const path = `${await this.specUriPath(obj, "patch")}/status`;
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    ctx.setHeaderParam("Accept", "application/json, */*;q=0.8");
    ctx.setHeaderParam("Content-Type", PatchStrategy.ServerSideApply);
    ctx.setQueryParam("fieldManager", fieldManager);
    if (force) ctx.setQueryParam("force", "true");
    ctx.setBody(JSON.stringify(obj)); // JSON is YAML
    return this.requestPromise<T>(ctx);
  }

  // Discovery (GET /apis/<group>/<version>, cached by the base class) is
  // counted as verb "discovery"; an unknown kind is a NoKindMatch error.
  protected override async resource(
    apiVersion: string,
    kind: string,
    options?: Configuration,
  ): Promise<V1APIResource | undefined> {
    const op = currentOp.getStore() ?? { verb: "discovery", ref: { apiVersion, kind } };
    let found: V1APIResource | undefined;
    try {
      found = await currentOp.run(
        { verb: "discovery", ref: { apiVersion, kind }, signal: op.signal },
        () => super.resource(apiVersion, kind, options),
      );
    } catch (err) {
      if (!(err instanceof KubeApiError) || err.code !== 404) throw err;
    }
    if (!found) {
      throw new KubeApiError(
        op.verb,
        op.ref,
        404,
        "NoKindMatch",
        `${apiVersion} ${kind} is not served`,
      );
    }
    return found;
  }

  protected override async requestPromise<T extends KubernetesObject>(
    ctx: RequestContext,
    type?: string,
    options?: Configuration,
  ): Promise<T> {
    const op = currentOp.getStore() ?? {
      verb: ctx.getHttpMethod().toLowerCase(),
      ref: { apiVersion: "", kind: "unknown" },
    };
    const cfg = options ?? this.configuration;
    let req = ctx;
    await cfg.authMethods.BearerToken?.applySecurityAuthentication(req);
    await cfg.authMethods.default?.applySecurityAuthentication(req);
    for (const m of this.configuration.middleware) req = await m.pre(req).toPromise();
    const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(this.hooks.timeoutMs)));
    req.setSignal(op.signal ? AbortSignal.any([op.signal, timeout]) : timeout);
    let rsp: ResponseContext;
    try {
      rsp = await cfg.httpApi.send(req).toPromise();
      for (const m of this.configuration.middleware) rsp = await m.post(rsp).toPromise();
    } catch (err) {
      this.hooks.count(op.verb, op.ref.kind, "<error>");
      const name = (err as { name?: string }).name;
      const reason =
        name === "TimeoutError" ? "Timeout" : name === "AbortError" ? "Aborted" : "NetworkError";
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const detail = `${(err as Error).message ?? String(err)}${cause ? ` (${cause})` : ""}`;
      throw new KubeApiError(op.verb, op.ref, 0, reason, detail, { cause: err });
    }
    const code = rsp.httpStatusCode;
    this.hooks.count(op.verb, op.ref.kind, String(code));
    if (code >= 200 && code <= 299) {
      if (type === undefined && !hasTypedModels(op.ref.apiVersion)) {
        // Custom resources: the JSON as sent (as watch events deliver it). client-node
        // would squeeze metadata through V1ObjectMeta, losing e.g. a list's `continue`.
        const text = await rsp.body.text();
        return (text ? JSON.parse(text) : {}) as T;
      }
      return this.processResponse<T>(rsp, type);
    }
    let status: V1Status | undefined;
    let text = "";
    try {
      text = await rsp.body.text();
      status = JSON.parse(text) as V1Status;
    } catch {
      // not a Status: keep the text
    }
    const reason = status?.reason || httpReason(code);
    throw new KubeApiError(op.verb, op.ref, code, reason, status?.message ?? text.slice(0, 200), {
      ...(status?.kind === "Status" && { status }),
    });
  }
}

// The API groups client-node has typed models for (its util.js, 2.0.1).
const TYPED_GROUPS = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

function hasTypedModels(apiVersion: string): boolean {
  return TYPED_GROUPS.has(apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "");
}

function httpReason(code: number): string {
  const reasons: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Gone",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  return reasons[code] ?? "Unknown";
}

function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion ?? "v1",
    kind: obj.kind ?? "unknown",
    ...(obj.metadata?.namespace !== undefined && { namespace: obj.metadata.namespace }),
    ...(obj.metadata?.name !== undefined && { name: obj.metadata.name }),
  };
}

/** KubernetesObjectApi fills in defaults (namespace, apiVersion) in place: never on the caller's object. */
function copy<T extends KubernetesObject>(obj: T): T {
  return { ...obj, metadata: { ...obj.metadata } };
}

export function createKubeClient(kc: KubeConfig, opts: KubeClientOptions): KubeClient {
  const requests: Counter<"verb" | "kind" | "code"> = counter(
    opts.registry,
    "amoskys_operator_api_requests_total",
    "Requests to the Kubernetes API, by verb (get, list, watch, create, update, apply, apply_status, patch, delete, discovery), kind and HTTP code (<error>: no response).",
    ["verb", "kind", "code"],
  );
  const count = (verb: string, kind: string, code: number | string) =>
    requests.inc({ verb, kind, code: String(code) });
  const api = kc
    .makeApiClient(DynamicApi)
    .init(kc, { count, timeoutMs: opts.requestTimeoutMs ?? 30_000 });
  const fieldManager = opts.fieldManager ?? "amoskys-operator";
  const call = <R>(
    verb: string,
    ref: ObjectRef,
    o: CallOptions | undefined,
    fn: () => Promise<R>,
  ) => currentOp.run({ verb, ref, signal: o?.signal }, fn);

  const client: KubeClient = {
    kc,
    fieldManager,
    async get<T extends KubernetesObject>(
      apiVersion: string,
      kind: string,
      namespace: string | undefined,
      name: string,
      o?: CallOptions,
    ) {
      const ref = { apiVersion, kind, namespace, name };
      try {
        return await call("get", ref, o, () =>
          api.read<T>({ apiVersion, kind, metadata: { name, namespace } }),
        );
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list<T extends KubernetesObject>(apiVersion: string, kind: string, o: ListOptions = {}) {
      const ref = {
        apiVersion,
        kind,
        ...(o.namespace !== undefined && { namespace: o.namespace }),
      };
      const items: T[] = [];
      let cont: string | undefined;
      let resourceVersion: string | undefined;
      do {
        const page = await call("list", ref, o, () =>
          api.list<T>(
            apiVersion,
            kind,
            o.namespace,
            undefined,
            undefined,
            undefined,
            o.fieldSelector,
            o.labelSelector,
            o.pageSize ?? 500,
            cont,
          ),
        );
        items.push(...page.items);
        // Typed (built-in) lists name it _continue; custom resource lists are raw JSON.
        const meta = page.metadata as { _continue?: string; continue?: string } | undefined;
        cont = meta?._continue || meta?.continue || undefined;
        resourceVersion = page.metadata?.resourceVersion;
      } while (cont);
      return { apiVersion, kind: `${kind}List`, metadata: { resourceVersion }, items };
    },
    create(obj, o) {
      return call("create", refOf(obj), o, () =>
        api.create(copy(obj), undefined, undefined, fieldManager),
      );
    },
    replace(obj, o) {
      return call("update", refOf(obj), o, () =>
        api.replace(copy(obj), undefined, undefined, fieldManager),
      );
    },
    apply(obj, o = {}) {
      return call(o.dryRun ? "apply_dry_run" : "apply", refOf(obj), o, () =>
        api.patch(
          copy(obj),
          undefined,
          o.dryRun ? "All" : undefined,
          o.fieldManager ?? fieldManager,
          o.force ?? true,
          PatchStrategy.ServerSideApply,
        ),
      );
    },
    applyStatus(obj, o = {}) {
      return call("apply_status", refOf(obj), o, () =>
        api.applyStatus(copy(obj), o.fieldManager ?? fieldManager, o.force ?? true),
      );
    },
    patchMerge<T extends KubernetesObject>(
      apiVersion: string,
      kind: string,
      namespace: string | undefined,
      name: string,
      patch: Record<string, unknown>,
      o?: CallOptions,
    ) {
      const meta = (patch.metadata ?? {}) as Record<string, unknown>;
      const body = { ...patch, apiVersion, kind, metadata: { ...meta, name, namespace } };
      return call("patch", { apiVersion, kind, namespace, name }, o, () =>
        api.patch<T>(
          body as unknown as T,
          undefined,
          undefined,
          undefined,
          undefined,
          PatchStrategy.MergePatch,
        ),
      );
    },
    async delete(apiVersion, kind, namespace, name, o = {}) {
      try {
        await call("delete", { apiVersion, kind, namespace, name }, o, () =>
          api.delete(
            { apiVersion, kind, metadata: { name, namespace } },
            undefined,
            undefined,
            undefined,
            undefined,
            o.propagationPolicy,
          ),
        );
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    resourcePath(apiVersion, kind, namespace) {
      return call("discovery", { apiVersion, kind }, undefined, () =>
        api.pathFor(apiVersion, kind, namespace),
      );
    },
    async listWatchSource<T extends KubernetesObject>(
      apiVersion: string,
      kind: string,
      o: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
    ): Promise<ListWatchSource<T>> {
      return {
        kind,
        path: await client.resourcePath(apiVersion, kind, o.namespace),
        ...(o.labelSelector !== undefined && { labelSelector: o.labelSelector }),
        ...(o.fieldSelector !== undefined && { fieldSelector: o.fieldSelector }),
        list: () => client.list<T>(apiVersion, kind, o),
      };
    },
    countRequest: count,
  };
  return client;
}
