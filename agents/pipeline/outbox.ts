// The durable outbox: every signed batch is appended here (fsynced) before a
// collector is told its events are safe, and leaves only after JetStream has
// stored it. While NATS is unreachable batches accumulate, bounded in bytes;
// when full the oldest segment is dropped and counted (the gap shows in the
// producer's chain at analytics). Batches ship in sequence order. The last
// few MiB appended stay in memory too (cacheBytes), so the shipper rarely
// reads its batches back from disk.
//
// On disk: segment files `seg-<first seq>.log` of records
//   u32 length of the rest | u32 crc32 of the rest |
//   u64 seq | u16 n + producer | u16 n + subject | SignedBatch bytes
// and `shipped` (the highest sequence stored by JetStream, as text). A torn
// record at the end of the last segment (a crash mid-append) is cut off.
import { closeSync, fsync, fsyncSync, openSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

export interface OutboxRecord {
  seq: number;
  producer: string;
  subject: string;
  /** The encoded SignedBatch. */
  batch: Uint8Array;
}

interface Segment {
  file: string;
  firstSeq: number;
  bytes: number;
  /** Record offsets and sequences, in order. */
  index: { seq: number; offset: number; length: number }[];
}

export interface OutboxOptions {
  /** Bytes the segments may hold; beyond it whole oldest segments are dropped. */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  segmentBytes?: number;
  /** Told how many unshipped batches a full outbox dropped. */
  onDrop?: (batches: number) => void;
  /** Bytes of recently appended batches kept in memory for next() (default 8 MiB). */
  cacheBytes?: number;
}

const HEADER = 8;
const MAX_RECORD = 64 << 20;

export class Outbox {
  private readonly segments: Segment[] = [];
  private shippedSeq = 0;
  private fd: number | undefined;
  private totalBytes = 0;
  // Records appended by this process and not yet shipped, up to cacheBytes:
  // the shipper reads them from here instead of back from disk (they are on
  // disk too; the cache only saves the read). Keys ascend.
  private readonly cache = new Map<number, OutboxRecord>();
  private cachedBytes = 0;
  private readonly dir: string;
  private readonly opts: Required<Omit<OutboxOptions, "onDrop">> & Pick<OutboxOptions, "onDrop">;

  private constructor(dir: string, opts: Outbox["opts"]) {
    this.dir = dir;
    this.opts = opts;
  }

  static async open(dir: string, opts: OutboxOptions): Promise<Outbox> {
    await mkdir(dir, { recursive: true });
    const o = new Outbox(dir, {
      segmentBytes: Math.min(8 << 20, Math.max(64 << 10, opts.maxBytes >> 3)),
      cacheBytes: 8 << 20,
      ...opts,
    });
    await o.recover();
    return o;
  }

  /** Highest sequence appended (0 if none is kept). */
  get lastSeq(): number {
    const s = this.segments.at(-1);
    return s?.index.at(-1)?.seq ?? this.shippedSeq;
  }

  get shipped(): number {
    return this.shippedSeq;
  }

  /** Batches appended and not yet shipped. */
  get pending(): number {
    let n = 0;
    for (const s of this.segments) for (const r of s.index) if (r.seq > this.shippedSeq) n++;
    return n;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Appends records (ascending seq) with one write and one fsync. */
  async append(records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const lengths = records.map(recordLength);
    const all = Buffer.allocUnsafe(lengths.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const r of records) at = encodeRecord(r, all, at);
    let seg = this.segments.at(-1);
    if (!seg || this.fd === undefined || seg.bytes >= this.opts.segmentBytes) {
      seg = await this.startSegment(records[0]?.seq ?? 0);
    }
    const fh = this.fd as number;
    await writeAll(fh, all);
    // In the thread pool: a sync fsync would stall every socket of the agent.
    await new Promise<void>((resolve, reject) =>
      fsync(fh, (err) => (err ? reject(err) : resolve())),
    );
    let off = seg.bytes;
    records.forEach((r, i) => {
      const length = lengths[i] as number;
      seg.index.push({ seq: r.seq, offset: off, length });
      off += length;
    });
    seg.bytes = off;
    this.totalBytes += all.length;
    for (const r of records) {
      if (this.cachedBytes + r.batch.length > this.opts.cacheBytes) break;
      this.cache.set(r.seq, r);
      this.cachedBytes += r.batch.length;
    }
    await this.enforceBound();
  }

  /** Up to `max` unshipped records, oldest first. */
  async next(max: number): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    for (const s of this.segments) {
      const todo = s.index.filter((r) => r.seq > this.shippedSeq).slice(0, max - out.length);
      if (todo.length === 0) continue;
      const hit = todo.map((r) => this.cache.get(r.seq));
      if (hit.every((r) => r !== undefined)) {
        out.push(...(hit as OutboxRecord[]));
        if (out.length >= max) break;
        continue;
      }
      const fh = await open(join(this.dir, s.file), "r");
      try {
        for (const r of todo) {
          const buf = Buffer.alloc(r.length);
          await fh.read(buf, 0, r.length, r.offset);
          const rec = decodeRecord(buf);
          if (rec) out.push(rec);
        }
      } finally {
        await fh.close();
      }
      if (out.length >= max) break;
    }
    return out;
  }

  /** Marks everything up to `seq` shipped; removes segments nothing unshipped is left in. */
  async markShipped(seq: number): Promise<void> {
    if (seq <= this.shippedSeq) return;
    this.shippedSeq = seq;
    this.forget(seq);
    // Not fsynced: after a power loss a few batches ship again, and JetStream's
    // duplicate window (same msgId) drops them.
    await writeFile(join(this.dir, "shipped.tmp"), String(seq));
    await rename(join(this.dir, "shipped.tmp"), join(this.dir, "shipped"));
    while (this.segments.length > 1) {
      const s = this.segments[0] as Segment;
      if ((s.index.at(-1)?.seq ?? 0) > seq) break;
      await this.removeOldest();
    }
  }

  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async startSegment(firstSeq: number): Promise<Segment> {
    if (this.fd !== undefined) closeSync(this.fd);
    const file = `seg-${String(firstSeq).padStart(20, "0")}.log`;
    this.fd = openSync(join(this.dir, file), "a");
    // The new name must survive a crash too.
    const dfd = openSync(this.dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
    const seg: Segment = { file, firstSeq, bytes: 0, index: [] };
    this.segments.push(seg);
    return seg;
  }

  /** Drops cached records up to `seq` (shipped or dropped). */
  private forget(seq: number): void {
    for (const [s, r] of this.cache) {
      if (s > seq) break;
      this.cache.delete(s);
      this.cachedBytes -= r.batch.length;
    }
  }

  private async removeOldest(): Promise<number> {
    const s = this.segments.shift();
    if (!s) return 0;
    await rm(join(this.dir, s.file), { force: true });
    this.totalBytes -= s.bytes;
    return s.index.filter((r) => r.seq > this.shippedSeq).length;
  }

  private async enforceBound(): Promise<void> {
    let dropped = 0;
    // The segment being written is never dropped: the newest data is kept.
    while (this.totalBytes > this.opts.maxBytes && this.segments.length > 1) {
      const last = this.segments[0]?.index.at(-1)?.seq ?? 0;
      dropped += await this.removeOldest();
      if (last > this.shippedSeq) this.shippedSeq = last;
    }
    this.forget(this.shippedSeq);
    if (dropped > 0) this.opts.onDrop?.(dropped);
  }

  private async recover(): Promise<void> {
    try {
      const n = Number((await readFile(join(this.dir, "shipped"), "utf8")).trim());
      if (Number.isSafeInteger(n) && n > 0) this.shippedSeq = n;
    } catch {
      // a fresh outbox
    }
    const files = (await readdir(this.dir)).filter((f) => /^seg-\d{20}\.log$/.test(f)).sort();
    for (const [i, file] of files.entries()) {
      const path = join(this.dir, file);
      const buf = await readFile(path);
      const seg: Segment = { file, firstSeq: Number(file.slice(4, 24)), bytes: 0, index: [] };
      let off = 0;
      while (off + HEADER <= buf.length) {
        const len = buf.readUInt32BE(off);
        if (len > MAX_RECORD || off + HEADER + len > buf.length) break;
        const body = buf.subarray(off + HEADER, off + HEADER + len);
        if (crc32(body) !== buf.readUInt32BE(off + 4)) break;
        const seq = Number(body.readBigUInt64BE(0));
        seg.index.push({ seq, offset: off, length: HEADER + len });
        off += HEADER + len;
      }
      if (off < buf.length) {
        // A torn tail: only the last segment can have one; cut it off.
        const fh = await open(path, "r+");
        await fh.truncate(off);
        await fh.sync();
        await fh.close();
      }
      seg.bytes = off;
      if (seg.index.length === 0 && i < files.length - 1) {
        await rm(path, { force: true });
        continue;
      }
      this.segments.push(seg);
      this.totalBytes += off;
    }
    const last = this.segments.at(-1);
    if (last) this.fd = openSync(join(this.dir, last.file), "a");
    // Segments everything in is shipped from go now.
    while (
      this.segments.length > 1 &&
      ((this.segments[0] as Segment).index.at(-1)?.seq ?? 0) <= this.shippedSeq
    ) {
      await this.removeOldest();
    }
  }
}

function recordLength(r: OutboxRecord): number {
  return (
    HEADER +
    8 +
    2 +
    Buffer.byteLength(r.producer, "utf8") +
    2 +
    Buffer.byteLength(r.subject, "utf8") +
    r.batch.length
  );
}

/** Writes r at buf[at] (its recordLength bytes); returns the offset after it. */
function encodeRecord(r: OutboxRecord, buf: Buffer, at: number): number {
  let o = buf.writeBigUInt64BE(BigInt(r.seq), at + HEADER);
  const pl = buf.write(r.producer, o + 2, "utf8");
  o = buf.writeUInt16BE(pl, o) + pl;
  const sl = buf.write(r.subject, o + 2, "utf8");
  o = buf.writeUInt16BE(sl, o) + sl;
  buf.set(r.batch, o);
  o += r.batch.length;
  buf.writeUInt32BE(o - at - HEADER, at);
  buf.writeUInt32BE(crc32(buf.subarray(at + HEADER, o)), at + 4);
  return o;
}

function decodeRecord(buf: Buffer): OutboxRecord | undefined {
  const body = buf.subarray(HEADER);
  if (crc32(body) !== buf.readUInt32BE(4)) return undefined;
  const seq = Number(body.readBigUInt64BE(0));
  let o = 8;
  const pl = body.readUInt16BE(o);
  const producer = body.toString("utf8", o + 2, o + 2 + pl);
  o += 2 + pl;
  const sl = body.readUInt16BE(o);
  const subject = body.toString("utf8", o + 2, o + 2 + sl);
  o += 2 + sl;
  return { seq, producer, subject, batch: body.subarray(o) };
}

async function writeAll(fd: number, buf: Buffer): Promise<void> {
  const { write } = await import("node:fs");
  let off = 0;
  while (off < buf.length) {
    off += await new Promise<number>((resolve, reject) =>
      write(fd, buf, off, buf.length - off, null, (err, n) => (err ? reject(err) : resolve(n))),
    );
  }
}

/** Size of the files in `dir` (for tests and metrics). */
export async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir)) n += (await stat(join(dir, f))).size;
  return n;
}
