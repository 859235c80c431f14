// The outbox on a real filesystem: order, recovery after a torn append,
// the byte bound (oldest dropped, counted), shipped segments removed, and
// the in-memory copy of recent batches matching what is on disk.
import assert from "node:assert/strict";
import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Outbox, type OutboxRecord } from "./outbox.ts";

const dirs: string[] = [];
async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "amoskys-outbox-"));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const rec = (seq: number, size = 100): OutboxRecord => ({
  seq,
  producer: "plant-1/edge/pod-a",
  subject: `amoskys.telemetry.plant-1.dev-${seq % 3}`,
  batch: Buffer.alloc(size, seq % 251),
});

describe("outbox", () => {
  it("returns records in order and forgets them once shipped", async () => {
    const d = await dir();
    const o = await Outbox.open(d, { maxBytes: 1 << 20, segmentBytes: 1024 });
    await o.append([rec(1), rec(2), rec(3)]);
    await o.append([rec(4)]);
    assert.deepEqual(
      (await o.next(10)).map((r) => r.seq),
      [1, 2, 3, 4],
    );
    assert.deepEqual(await o.next(1), [rec(1)]);
    await o.markShipped(2);
    assert.deepEqual(
      (await o.next(10)).map((r) => r.seq),
      [3, 4],
    );
    assert.equal(o.pending, 2);
    await o.close();
  });

  it("recovers after a restart, cutting off a torn last record", async () => {
    const d = await dir();
    let o = await Outbox.open(d, { maxBytes: 1 << 20 });
    await o.append([rec(1), rec(2)]);
    await o.markShipped(1);
    await o.close();
    const [seg] = (await readdir(d)).filter((f) => f.startsWith("seg-"));
    // A crash in the middle of the next append: half a header, half a body.
    await appendFile(join(d, seg as string), Buffer.from([0, 0, 1, 0, 9, 9, 9]));
    o = await Outbox.open(d, { maxBytes: 1 << 20 });
    assert.equal(o.shipped, 1);
    assert.deepEqual(await o.next(10), [rec(2)]);
    await o.append([rec(3)]);
    assert.deepEqual(
      (await o.next(10)).map((r) => r.seq),
      [2, 3],
    );
    await o.close();
  });

  it("serves batches from memory (cacheBytes) and from disk alike, byte for byte", async () => {
    const d = await dir();
    // Room for two 100-byte batches in memory: 1 and 2 cached, 3 and 4 read back.
    const o = await Outbox.open(d, { maxBytes: 1 << 20, cacheBytes: 250 });
    await o.append([rec(1), rec(2), rec(3)]);
    await o.append([rec(4)]);
    const want = [rec(1), rec(2), rec(3), rec(4)];
    assert.deepEqual(await o.next(10), want);
    await o.markShipped(1);
    assert.deepEqual(await o.next(10), want.slice(1));
    await o.close();
    // The bytes on disk are the same records (a restart reads them all back).
    const again = await Outbox.open(d, { maxBytes: 1 << 20 });
    assert.deepEqual(await again.next(10), want.slice(1));
    await again.close();
  });

  it("when full, drops the oldest segments and counts the unshipped batches lost", async () => {
    const d = await dir();
    let dropped = 0;
    const o = await Outbox.open(d, {
      maxBytes: 4096,
      segmentBytes: 1024,
      onDrop: (n) => {
        dropped += n;
      },
    });
    for (let s = 1; s <= 60; s++) await o.append([rec(s, 200)]);
    assert.ok(o.bytes <= 4096 + 1024, `${o.bytes} bytes kept`);
    const left = (await o.next(100)).map((r) => r.seq);
    assert.equal(left.at(-1), 60, "the newest are kept");
    assert.deepEqual(
      left,
      Array.from({ length: left.length }, (_, i) => 61 - left.length + i),
      "contiguous",
    );
    assert.equal(dropped, 60 - left.length, "every lost batch is counted");
    await o.close();
  });

  it("removes segments whose batches are all shipped", async () => {
    const d = await dir();
    const o = await Outbox.open(d, { maxBytes: 1 << 20, segmentBytes: 512 });
    for (let s = 1; s <= 20; s++) await o.append([rec(s, 200)]);
    const before = (await readdir(d)).filter((f) => f.startsWith("seg-")).length;
    await o.markShipped(20);
    const segs = (await readdir(d)).filter((f) => f.startsWith("seg-"));
    assert.ok(before > 3 && segs.length === 1, `${before} segments, then ${segs.length}`);
    assert.equal(o.pending, 0);
    await o.close();
  });
});
