// A minimal Modbus/TCP client over node:net: one connection, one request in
// flight (many PLCs serve only one), reads only (FC 1-4). Our own framing
// rather than modbus-serial so that every byte a device sends goes through
// the bounded, fuzzed decoder in frame.ts, exception responses arrive as data
// (function + exception code) rather than as error strings, and a bad or
// unsolicited frame is reported with its bytes.
import { connect, type Socket } from "node:net";
import {
  decodeResponsePdu,
  encodeReadRequest,
  MAX_ADU,
  type ReadFunction,
  type Response,
  takeAdu,
} from "./frame.ts";

export type ReadResult =
  | ((Exclude<Response, { kind: "malformed" }> | { kind: "malformed"; reason: string }) & {
      latencyMs: number;
      /** The raw ADU (for a Malformed event's sample). */
      raw: Uint8Array;
    })
  /** No usable answer: timeout, connection closed or reset. The connection is dropped. */
  | { kind: "transport"; reason: string; latencyMs: number };

export interface ClientOptions {
  host: string;
  port: number;
  unitId: number;
  timeoutMs: number;
  /** A frame no request is waiting for, or bytes that cannot be framed between requests. */
  onStray?: (reason: string, bytes: Uint8Array) => void;
}

interface Pending {
  transactionId: number;
  expect: { functionCode: ReadFunction; quantity: number };
  sentAt: number;
  timer: NodeJS.Timeout;
  done: (r: ReadResult) => void;
}

export class ModbusTcpClient {
  readonly #opts: ClientOptions;
  #socket: Socket | undefined;
  #buf: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;
  #tid = 0;
  #abortConnect: (() => void) | undefined;

  constructor(opts: ClientOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#socket !== undefined;
  }

  /** Connects; rejects with a short reason (ECONNREFUSED, "timeout after 3 s"). */
  connect(): Promise<{ latencyMs: number }> {
    this.close();
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const sock = connect({ host: this.#opts.host, port: this.#opts.port });
      const fail = (reason: string) => {
        clearTimeout(timer);
        this.#abortConnect = undefined;
        sock.destroy();
        reject(new Error(reason));
      };
      const timer = setTimeout(
        () => fail(`timeout after ${this.#opts.timeoutMs / 1000} s`),
        this.#opts.timeoutMs,
      );
      this.#abortConnect = () => fail("closed");
      sock.once("error", (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
      sock.once("connect", () => {
        clearTimeout(timer);
        this.#abortConnect = undefined;
        sock.removeAllListeners("error");
        sock.setNoDelay(true);
        this.#socket = sock;
        this.#buf = Buffer.alloc(0);
        sock.on("data", (chunk: Buffer) => this.#onData(sock, chunk));
        sock.on("error", (err: NodeJS.ErrnoException) => this.#drop(sock, err.code ?? err.message));
        sock.on("close", () => this.#drop(sock, "connection closed by peer"));
        resolve({ latencyMs: performance.now() - started });
      });
    });
  }

  /** One read request; never rejects. */
  read(functionCode: ReadFunction, address: number, quantity: number): Promise<ReadResult> {
    const sock = this.#socket;
    if (!sock) return Promise.resolve({ kind: "transport", reason: "not connected", latencyMs: 0 });
    if (this.#pending) throw new Error("ModbusTcpClient: one request at a time");
    this.#tid = (this.#tid + 1) & 0xffff;
    const transactionId = this.#tid;
    return new Promise((done) => {
      const sentAt = performance.now();
      const timer = setTimeout(() => {
        // A late answer would arrive out of step: start afresh next time.
        this.#finish({
          kind: "transport",
          reason: `timeout after ${this.#opts.timeoutMs / 1000} s`,
          latencyMs: performance.now() - sentAt,
        });
        this.#destroy(sock);
      }, this.#opts.timeoutMs);
      this.#pending = { transactionId, expect: { functionCode, quantity }, sentAt, timer, done };
      sock.write(
        encodeReadRequest(transactionId, this.#opts.unitId, functionCode, address, quantity),
      );
    });
  }

  /** Drops the connection (or the attempt): a read in flight ends as a transport failure. */
  close(): void {
    this.#abortConnect?.();
    const sock = this.#socket;
    if (sock) this.#drop(sock, "closed");
  }

  #finish(r: ReadResult): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = undefined;
    clearTimeout(p.timer);
    p.done(r);
  }

  #destroy(sock: Socket): void {
    if (this.#socket === sock) this.#socket = undefined;
    sock.removeAllListeners("data");
    sock.destroy();
  }

  #drop(sock: Socket, reason: string): void {
    if (this.#socket !== sock) return;
    this.#destroy(sock);
    const p = this.#pending;
    if (p) this.#finish({ kind: "transport", reason, latencyMs: performance.now() - p.sentAt });
  }

  #onData(sock: Socket, chunk: Buffer): void {
    // Bounded: a frame is at most MAX_ADU bytes, so more than that buffered
    // without a complete frame cannot happen (takeAdu rejects long lengths).
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      const t = takeAdu(this.#buf);
      if (t.kind === "incomplete") return;
      if (t.kind === "malformed") {
        this.#bad(t.reason, this.#buf.subarray(0, MAX_ADU));
        this.#drop(sock, `malformed: ${t.reason}`);
        return;
      }
      const raw = this.#buf.subarray(0, t.size);
      this.#buf = this.#buf.subarray(t.size);
      const p = this.#pending;
      if (!p) {
        this.#opts.onStray?.("unsolicited response", raw);
        continue;
      }
      const latencyMs = performance.now() - p.sentAt;
      if (t.adu.transactionId !== p.transactionId) {
        this.#finish({ kind: "malformed", reason: "transaction id mismatch", raw, latencyMs });
        this.#drop(sock, "transaction id mismatch");
        return;
      }
      const response = decodeResponsePdu(t.adu.pdu, p.expect);
      this.#finish({ ...response, raw, latencyMs });
    }
  }

  #bad(reason: string, bytes: Uint8Array): void {
    const p = this.#pending;
    if (p) {
      this.#finish({
        kind: "malformed",
        reason,
        raw: Buffer.from(bytes),
        latencyMs: performance.now() - p.sentAt,
      });
    } else {
      this.#opts.onStray?.(reason, Buffer.from(bytes));
    }
  }
}
