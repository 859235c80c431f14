// The analytics HTTP API (see README.md).
export { type Api, type ApiLimits, type ApiOptions, createApi, DEFAULT_LIMITS } from "./api.ts";
export {
  type Access,
  type Authenticator,
  embeddedAuth,
  type Identity,
  kubernetesAuth,
} from "./auth.ts";
export { createLiveHub, type LiveFeed, type LiveHub, type LiveItem } from "./live.ts";
export type { DeviceRow, FindingRow, LogRow, MetricPoint } from "./queries.ts";
