import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conditionIs, conditionTime, setCondition } from "./conditions.ts";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T01:00:00Z");

describe("setCondition (metav1 semantics)", () => {
  it("adds a condition with lastTransitionTime = now (whole seconds)", () => {
    const list = setCondition(
      undefined,
      {
        type: "Ready",
        status: "False",
        reason: "Progressing",
        message: "m",
        observedGeneration: 1,
      },
      t0,
    );
    assert.deepEqual(list, [
      {
        type: "Ready",
        status: "False",
        observedGeneration: 1,
        lastTransitionTime: "2026-01-01T00:00:00Z",
        reason: "Progressing",
        message: "m",
      },
    ]);
  });

  it("keeps lastTransitionTime while the status stays; updates reason, message, generation", () => {
    const a = setCondition(
      [],
      { type: "Ready", status: "False", reason: "A", message: "a", observedGeneration: 1 },
      t0,
    );
    const b = setCondition(
      a,
      { type: "Ready", status: "False", reason: "B", message: "b", observedGeneration: 2 },
      t1,
    );
    assert.equal(b[0]?.lastTransitionTime, "2026-01-01T00:00:00Z");
    assert.equal(b[0]?.reason, "B");
    assert.equal(b[0]?.message, "b");
    assert.equal(b[0]?.observedGeneration, 2);
    assert.equal(a[0]?.reason, "A", "the input is not modified");
  });

  it("moves lastTransitionTime when the status changes", () => {
    const a = setCondition([], { type: "Ready", status: "False", reason: "A", message: "" }, t0);
    const b = setCondition(a, { type: "Ready", status: "True", reason: "A", message: "" }, t1);
    assert.equal(b[0]?.lastTransitionTime, "2026-01-01T01:00:00Z");
  });

  it("keeps the order and the other conditions", () => {
    let list = setCondition([], { type: "Ready", status: "True", reason: "R", message: "" }, t0);
    list = setCondition(list, { type: "Degraded", status: "False", reason: "D", message: "" }, t0);
    list = setCondition(list, { type: "Ready", status: "False", reason: "R", message: "" }, t1);
    assert.deepEqual(
      list.map((c) => [c.type, c.status]),
      [
        ["Ready", "False"],
        ["Degraded", "False"],
      ],
    );
  });

  it("conditionIs compares everything but the time", () => {
    const list = setCondition(
      [],
      { type: "Ready", status: "True", reason: "R", message: "m", observedGeneration: 3 },
      t0,
    );
    assert.equal(
      conditionIs(list, {
        type: "Ready",
        status: "True",
        reason: "R",
        message: "m",
        observedGeneration: 3,
      }),
      true,
    );
    assert.equal(
      conditionIs(list, {
        type: "Ready",
        status: "True",
        reason: "R",
        message: "m",
        observedGeneration: 4,
      }),
      false,
    );
    assert.equal(
      conditionIs(list, { type: "Degraded", status: "True", reason: "R", message: "m" }),
      false,
    );
    assert.equal(conditionTime("2026-05-05T05:05:05.999Z"), "2026-05-05T05:05:05Z");
  });
});
