// The gap tracker: late batches close gaps; only what stays missing past the
// grace period is reported.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GapTracker, missingRanges } from "./gaps.ts";

test("late batches close a gap; what stays missing is reported after the grace period", () => {
  const g = new GapTracker(1000);
  g.add("p/a/x", 3, 7, "amoskys.telemetry.p.a", 0);
  g.arrived("p/a/x", 5); // splits 3..7 into 3..4 and 6..7
  g.arrived("p/a/x", 3);
  g.arrived("p/a/x", 7);
  g.arrived("p/b/y", 4); // another producer's batch closes nothing here
  assert.equal(g.size, 2);
  assert.deepEqual(g.due(999), [], "not before the grace period");
  const due = g.due(1000).map((x) => [x.from, x.to]);
  assert.deepEqual(due, [
    [4, 4],
    [6, 6],
  ]);
  assert.equal(g.size, 0);
  assert.deepEqual(g.due(5000), [], "reported once");
});

test("a gap closed before the grace period is never reported", () => {
  const g = new GapTracker(1000);
  g.add("p/a/x", 10, 10, "s", 0);
  g.arrived("p/a/x", 10);
  assert.deepEqual(g.due(10_000), []);
});

test("missingRanges: what of a gap Postgres does not have", () => {
  assert.deepEqual(missingRanges(3, 9, []), [[3, 9]]);
  assert.deepEqual(missingRanges(3, 9, [3, 4, 5, 6, 7, 8, 9]), []);
  assert.deepEqual(missingRanges(3, 9, [4, 7]), [
    [3, 3],
    [5, 6],
    [8, 9],
  ]);
  assert.deepEqual(missingRanges(3, 9, [1, 9, 12]), [[3, 8]], "outside the range is ignored");
});
