// The BatchVerifier's state, rebuilt from the verifier_state rows writeBatch
// writes with each batch's events: per producer the highest sequence and the
// batches inside the replay window. Because those rows commit with the events,
// the state after a restart is exactly what was stored: nothing stored is
// taken for new, nothing unstored for a replay.
import type { VerifierState } from "../../proto/verify-batch.ts";
import type { Queryable } from "./write.ts";

export interface LoadedVerifierState {
  state: VerifierState;
  /** Sequences missing inside each producer's window (gaps still open when the process stopped). */
  holes: { producerId: string; from: number; to: number }[];
}

export async function loadVerifierState(
  client: Queryable,
  window = 1024,
): Promise<LoadedVerifierState> {
  const r = await client.query(
    `SELECT v.producer, v.sequence, v.hash, v.prev_hash
       FROM verifier_state v
       JOIN (SELECT producer, max(sequence) AS highest FROM verifier_state GROUP BY producer) h
         ON h.producer = v.producer
      WHERE v.sequence > h.highest - $1
      ORDER BY v.producer, v.sequence`,
    [window],
  );
  const state: VerifierState = {};
  const holes: LoadedVerifierState["holes"] = [];
  for (const row of r.rows as {
    producer: string;
    sequence: string;
    hash: Buffer;
    prev_hash: Buffer;
  }[]) {
    const seq = Number(row.sequence);
    let p = state[row.producer];
    if (!p) {
      p = { highest: 0, seen: [] };
      state[row.producer] = p;
    } else if (seq > p.highest + 1) {
      holes.push({ producerId: row.producer, from: p.highest + 1, to: seq - 1 });
    }
    p.highest = seq;
    p.seen.push([seq, row.hash.toString("hex"), row.prev_hash.toString("hex")]);
  }
  return { state, holes };
}

/** Deletes rows older than `olderThanMs` that are outside every producer's window. */
export async function pruneVerifierState(
  client: Queryable,
  olderThanMs: number,
  window = 1024,
): Promise<number> {
  const r = await client.query(
    `DELETE FROM verifier_state v USING
       (SELECT producer, max(sequence) AS highest FROM verifier_state GROUP BY producer) h
     WHERE h.producer = v.producer AND v.sequence <= h.highest - $1 AND v.accepted_at < $2`,
    [window, new Date(olderThanMs).toISOString()],
  );
  return r.rowCount ?? 0;
}

/** The sequences of `producerId` between `from` and `to` that are stored (by any replica). */
export async function storedSequences(
  client: Queryable,
  producerId: string,
  from: number,
  to: number,
): Promise<number[]> {
  const r = await client.query(
    "SELECT sequence FROM verifier_state WHERE producer = $1 AND sequence BETWEEN $2 AND $3 ORDER BY 1",
    [producerId, from, to],
  );
  return r.rows.map((x) => Number(x.sequence));
}
