// Findings in Postgres, one row per (rule, device, key), with the evidence.
import type { FindingUpdate } from "../model.ts";
import type { Queryable } from "./write.ts";

export type FindingState = "open" | "acknowledged" | "resolved";

export interface StoredFinding {
  id: number;
  state: FindingState;
  /** True when this upsert created the row. */
  created: boolean;
}

/**
 * Inserts or updates the finding of (rule, device, key). The counts are the
 * aggregate detection reports, so they only grow (an update that arrives late
 * cannot lower them); first/last seen widen. A resolved finding that sees a
 * newer event opens again (with the new update's counts); an acknowledged one
 * stays acknowledged.
 */
export async function upsertFinding(client: Queryable, u: FindingUpdate): Promise<StoredFinding> {
  const r = await client.query({
    name: "upsert-finding",
    text: `INSERT INTO findings AS f (rule_namespace, rule_name, device_namespace, device_name, key,
        severity, title, mitre, count, suppressed, first_seen, last_seen, evidence)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (rule_namespace, rule_name, device_namespace, device_name, key) DO UPDATE SET
        severity = excluded.severity,
        title = excluded.title,
        mitre = excluded.mitre,
        count = CASE WHEN f.state = 'resolved' AND excluded.last_seen > f.last_seen
                     THEN excluded.count ELSE GREATEST(f.count, excluded.count) END,
        suppressed = CASE WHEN f.state = 'resolved' AND excluded.last_seen > f.last_seen
                          THEN excluded.suppressed ELSE GREATEST(f.suppressed, excluded.suppressed) END,
        first_seen = CASE WHEN f.state = 'resolved' AND excluded.last_seen > f.last_seen
                          THEN excluded.first_seen ELSE LEAST(f.first_seen, excluded.first_seen) END,
        last_seen = GREATEST(f.last_seen, excluded.last_seen),
        state = CASE WHEN f.state = 'resolved' AND excluded.last_seen > f.last_seen
                     THEN 'open' ELSE f.state END,
        evidence = excluded.evidence,
        updated_at = now()
      RETURNING id, state, (xmax = 0) AS created`,
    values: [
      u.rule.namespace,
      u.rule.name,
      u.device.namespace,
      u.device.name,
      u.key,
      u.severity,
      u.title,
      u.mitre,
      u.count,
      u.suppressed,
      new Date(u.firstSeenMs).toISOString(),
      new Date(u.lastSeenMs).toISOString(),
      JSON.stringify({ eventIds: u.evidence.eventIds, summary: u.evidence.summary }),
    ],
  });
  const row = r.rows[0] as { id: string; state: FindingState; created: boolean };
  return { id: Number(row.id), state: row.state, created: row.created };
}

/** Sets a finding's state (acknowledge, resolve, reopen); false if there is no such finding. */
export async function setFindingState(
  client: Queryable,
  id: number,
  state: FindingState,
): Promise<boolean> {
  const r = await client.query("UPDATE findings SET state = $2, updated_at = now() WHERE id = $1", [
    id,
    state,
  ]);
  return r.rowCount === 1;
}
