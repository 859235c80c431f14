// The producer's identity and chain position, kept next to the outbox. A pod
// restarting its container finds both and continues its chain; a new pod (a
// fresh emptyDir) starts a new producer `<namespace>/<profile>/<pod>`.
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { v1 } from "../../proto/codec.ts";
import type { ChainState } from "../../proto/sign-batch.ts";
import { batchHash, signingInput } from "../../proto/signing.ts";
import type { OutboxRecord } from "./outbox.ts";

export interface ChainFile {
  producerId: string;
  state: ChainState;
}

const FILE = "chain.json";

export async function loadChain(
  dir: string,
  freshProducerId: string,
  last: OutboxRecord | undefined,
): Promise<ChainFile> {
  let saved: ChainFile | undefined;
  try {
    const j = JSON.parse(await readFile(join(dir, FILE), "utf8")) as {
      producerId: string;
      sequence: number;
      prevHash: string;
    };
    saved = {
      producerId: j.producerId,
      state: { sequence: j.sequence, prevHash: Buffer.from(j.prevHash, "hex") },
    };
  } catch {
    saved = undefined;
  }
  // The last batch in the outbox is fsynced; chain.json is written after it,
  // so the outbox wins when it is ahead.
  if (last && (!saved || last.seq > saved.state.sequence)) {
    const b = v1.SignedBatch.decode(last.batch);
    return {
      producerId: b.producerId,
      state: { sequence: last.seq, prevHash: batchHash(signingInput(b, b.payload)) },
    };
  }
  return (
    saved ?? { producerId: freshProducerId, state: { sequence: 0, prevHash: new Uint8Array() } }
  );
}

export async function saveChain(dir: string, c: ChainFile): Promise<void> {
  const tmp = join(dir, `${FILE}.tmp`);
  await writeFile(
    tmp,
    JSON.stringify({
      producerId: c.producerId,
      sequence: c.state.sequence,
      prevHash: Buffer.from(c.state.prevHash).toString("hex"),
    }),
  );
  await rename(tmp, join(dir, FILE));
}
