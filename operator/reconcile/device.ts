// reconcileDevice: the part of a Device's status the operator owns - the
// Assigned condition, `collector` and `protocols` - from the profiles in its
// namespace (the caches), written only when it changed.
//
// Analytics writes the rest of the same status (lastSeen, riskScore,
// openFindings, capabilities, the Reachable and Collecting conditions). The
// operator writes its fields by server-side apply of the status subresource
// under its own field manager: it owns exactly the fields it sends, and since
// conditions is a list keyed by type, only the Assigned entry. A merge patch
// could not do that (it replaces the conditions list whole), and an update
// would overwrite whatever analytics wrote meanwhile.
import { API_VERSION } from "../../crds/index.ts";
import { assignDevice } from "../manifests/selection.ts";
import { validateDevice } from "../manifests/validate.ts";
import type { ReconcileContext } from "./context.ts";
import { deviceStatusPatch, withDeviceProblems } from "./status.ts";

export async function reconcileDevice(
  ctx: ReconcileContext,
  namespace: string,
  name: string,
): Promise<void> {
  const device = ctx.caches.devices.get(namespace, name);
  if (!device) return;
  const assignment = withDeviceProblems(
    assignDevice(ctx.caches.profiles.list(namespace), device),
    validateDevice(device),
  );
  const patch = deviceStatusPatch(device, assignment, ctx.now());
  if (!patch) return;
  await ctx.client.applyStatus(
    { apiVersion: API_VERSION, kind: "Device", metadata: { name, namespace }, status: patch },
    { signal: ctx.signal },
  );
}
