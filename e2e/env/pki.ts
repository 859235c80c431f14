// A throwaway certificate authority per environment, made with the openssl CLI
// (node:crypto can sign but cannot build X.509 certificates).
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./proc.ts";

export interface KeyPair {
  cert: string;
  key: string;
}

export interface CertRequest {
  /** File name stem inside the CA's folder. */
  file: string;
  cn: string;
  /** Organisations; Kubernetes reads them as groups. */
  orgs?: string[];
  dns?: string[];
  ips?: string[];
  usage: "server" | "client" | "both";
}

export class CertificateAuthority {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.cert = join(dir, "ca.crt");
    this.key = join(dir, "ca.key");
  }

  static async create(dir: string, name = "AMOSKYS test CA"): Promise<CertificateAuthority> {
    const ca = new CertificateAuthority(dir);
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      subject(name, []),
      "-keyout",
      ca.key,
      "-out",
      ca.cert,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    return ca;
  }

  async issue(req: CertRequest): Promise<KeyPair> {
    const base = join(this.dir, req.file);
    const out = { cert: `${base}.crt`, key: `${base}.key` };
    const eku = { server: "serverAuth", client: "clientAuth", both: "serverAuth,clientAuth" };
    const sans = [
      ...(req.dns ?? []).map((d) => `DNS:${d}`),
      ...(req.ips ?? []).map((i) => `IP:${i}`),
    ];
    const ext = [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      `extendedKeyUsage=${eku[req.usage]}`,
      ...(sans.length ? [`subjectAltName=${sans.join(",")}`] : []),
    ];
    await writeFile(`${base}.ext`, `${ext.join("\n")}\n`);
    await run("openssl", [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-subj",
      subject(req.cn, req.orgs ?? []),
      "-keyout",
      out.key,
      "-out",
      `${base}.csr`,
    ]);
    await run("openssl", [
      "x509",
      "-req",
      "-in",
      `${base}.csr`,
      "-CA",
      this.cert,
      "-CAkey",
      this.key,
      "-set_serial",
      `0x${randomBytes(8).toString("hex")}`,
      "-days",
      "2",
      "-extfile",
      `${base}.ext`,
      "-out",
      out.cert,
    ]);
    return out;
  }
}

function subject(cn: string, orgs: string[]): string {
  const esc = (v: string) => {
    if (!/^[\w.:@ -]+$/.test(v)) throw new Error(`unsupported character in certificate name ${v}`);
    return v;
  };
  return [...orgs.map((o) => `/O=${esc(o)}`), `/CN=${esc(cn)}`].join("");
}
