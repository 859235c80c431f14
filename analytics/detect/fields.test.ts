// fields.ts mirrors telemetry.proto by hand (so reading a field costs no
// conversion); this checks the table against the .proto itself.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import protobuf from "protobufjs";
import { SCHEMA } from "./fields.ts";

test("the field table matches proto/amoskys/v1/telemetry.proto", () => {
  const root = protobuf.loadSync(
    join(import.meta.dirname, "../../proto/amoskys/v1/telemetry.proto"),
  );
  for (const [msg, fields] of Object.entries(SCHEMA)) {
    const type = root.lookupType(`amoskys.v1.${msg}`);
    const proto = Object.values(type.fields).map((f) => f.name);
    assert.deepEqual(Object.keys(fields).sort(), [...proto].sort(), msg);
    for (const f of Object.values(type.fields)) {
      f.resolve();
      const mine = fields[f.name];
      assert.ok(mine, `${msg}.${f.name}`);
      const kind = f.map
        ? "map"
        : f.resolvedType instanceof protobuf.Enum
          ? "enum"
          : f.type === "google.protobuf.Timestamp"
            ? "timestamp"
            : f.resolvedType
              ? "message"
              : f.type === "string"
                ? "string"
                : f.type === "bool"
                  ? "bool"
                  : f.type === "bytes"
                    ? "bytes"
                    : "number";
      assert.equal(mine.t, kind, `${msg}.${f.name}`);
      assert.equal(
        !!("repeated" in mine && mine.repeated),
        f.repeated && !f.map,
        `${msg}.${f.name} repeated`,
      );
    }
  }
});
