// Checkpoints of stateful detection rules: an opaque blob per rule and
// partition of the device keyspace.
import type { Queryable } from "./write.ts";

export interface RuleRef {
  namespace: string;
  name: string;
}

export async function saveCheckpoint(
  client: Queryable,
  rule: RuleRef,
  partitionKey: string,
  state: Uint8Array,
): Promise<void> {
  await client.query(
    `INSERT INTO rule_state (rule_namespace, rule_name, partition_key, state) VALUES ($1, $2, $3, $4)
     ON CONFLICT (rule_namespace, rule_name, partition_key) DO UPDATE SET state = excluded.state, updated_at = now()`,
    [rule.namespace, rule.name, partitionKey, Buffer.from(state)],
  );
}

/** The last checkpoint saved, or undefined. */
export async function loadCheckpoint(
  client: Queryable,
  rule: RuleRef,
  partitionKey: string,
): Promise<Buffer | undefined> {
  const r = await client.query(
    "SELECT state FROM rule_state WHERE rule_namespace = $1 AND rule_name = $2 AND partition_key = $3",
    [rule.namespace, rule.name, partitionKey],
  );
  return r.rows[0]?.state as Buffer | undefined;
}

/** Removes a rule's checkpoints (the rule was deleted or changed incompatibly). */
export async function deleteCheckpoints(client: Queryable, rule: RuleRef): Promise<number> {
  const r = await client.query(
    "DELETE FROM rule_state WHERE rule_namespace = $1 AND rule_name = $2",
    [rule.namespace, rule.name],
  );
  return r.rowCount ?? 0;
}
