// npm run build: generates proto/gen/ (static protobufjs code and its .d.ts)
// from proto/amoskys/v1/*.proto. `--out <dir>` writes elsewhere (the
// reproducibility test compares that with the committed proto/gen/).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const outFlag = process.argv.indexOf("--out");
const outDir = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? "") : join(root, "proto/gen");
mkdirSync(outDir, { recursive: true });
const protos = ["telemetry", "envelope", "bus"].map((p) =>
  join(root, `proto/amoskys/v1/${p}.proto`),
);
execFileSync(
  join(root, "node_modules/.bin/pbjs"),
  [
    "-t",
    "static-module",
    "-w",
    "esm",
    "--force-number", // with schema.ts's Long-less protobufjs: plain numbers
    "--no-service", // the bus-bridge serves bus.proto with gRPC, not these stubs
    "--no-delimited",
    "--no-typeurl",
    "-p",
    join(root, "proto"),
    "-o",
    join(outDir, "amoskys.js"),
    "-d",
    ...protos,
  ],
  { stdio: "inherit", cwd: root },
);
