// postWebhook against a real node:https server with a certificate from a CA
// made here: the signature the server receives, retries on 503 with backoff,
// no retry on 400, failures on an untrusted certificate and a refused port.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CertificateAuthority } from "../../e2e/env/pki.ts";
import { freePort } from "../../e2e/env/ports.ts";
import { postWebhook, SIGNATURE_HEADER } from "./webhook.ts";

let dir: string;
let ca: string;
let server: Server;
let url: string;
const seen: { path: string; body: string; sig: string | undefined }[] = [];
/** Status codes the server answers with, in order; then 200. */
let script: number[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "amoskys-webhook-"));
  const authority = await CertificateAuthority.create(dir);
  const pair = await authority.issue({
    file: "srv",
    cn: "srv",
    ips: ["127.0.0.1"],
    usage: "server",
  });
  ca = await readFile(authority.cert, "utf8");
  server = createServer(
    { cert: await readFile(pair.cert), key: await readFile(pair.key) },
    (req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        seen.push({
          path: req.url ?? "",
          body,
          sig: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        });
        res.writeHead(script.shift() ?? 200).end();
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

test("signed POST over HTTPS with the given CA; retried after 503", async () => {
  seen.length = 0;
  script = [503, 503];
  const body = JSON.stringify({ version: "4", alerts: [] });
  const r = await postWebhook(url, body, { secret: "k3y", ca, backoffMs: 10, retries: 3 });
  assert.deepEqual(r, { ok: true, status: 200, attempts: 3, message: "HTTP 200 OK" });
  assert.equal(seen.length, 3);
  for (const s of seen) {
    assert.equal(s.path, "/hook");
    assert.equal(s.body, body);
    assert.equal(s.sig, `sha256=${createHmac("sha256", "k3y").update(body).digest("hex")}`);
  }
});

test("a 400 is not retried; no secret means no signature header", async () => {
  seen.length = 0;
  script = [400];
  const r = await postWebhook(url, "{}", { ca, backoffMs: 10 });
  assert.equal(r.ok, false);
  assert.equal(r.status, 400);
  assert.equal(r.attempts, 1);
  assert.equal(seen[0]?.sig, undefined);
});

test("an untrusted certificate fails without sending", async () => {
  seen.length = 0;
  const r = await postWebhook(url, "{}", { retries: 0 });
  assert.equal(r.ok, false);
  assert.equal(r.status, 0);
  assert.match(r.message, /certificate|self.signed|verify/i);
  assert.equal(seen.length, 0);
});

test("a refused port is retried, then reported", async () => {
  const port = await freePort();
  const r = await postWebhook(`http://127.0.0.1:${port}/`, "{}", { retries: 2, backoffMs: 10 });
  assert.equal(r.ok, false);
  assert.equal(r.attempts, 3);
  assert.match(r.message, /ECONNREFUSED/);
});
