import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes, quantityValue, sameQuantity } from "./quantity.ts";

describe("quantities", () => {
  it("values", () => {
    assert.equal(quantityValue("256Mi"), 256 * 2 ** 20);
    assert.equal(quantityValue("1G"), 1e9);
    assert.equal(quantityValue("500m"), 0.5);
    assert.equal(quantityValue("0.5"), 0.5);
    assert.equal(quantityValue("1e3"), 1000);
    assert.equal(quantityValue(".5Ki"), 512);
    assert.equal(quantityValue(42), 42);
    assert.equal(quantityValue("1 Gi"), undefined);
    assert.equal(quantityValue("Gi"), undefined);
  });
  it("compares values, not spellings, as the apiserver canonicalizes them", () => {
    assert.equal(sameQuantity("0.5", "500m"), true);
    assert.equal(sameQuantity("1Gi", "1024Mi"), true);
    assert.equal(sameQuantity("1G", "1Gi"), false);
    assert.equal(sameQuantity("x", "x"), true);
    assert.equal(sameQuantity("x", "y"), false);
  });
  it("formats bytes in the largest exact binary unit", () => {
    assert.equal(formatBytes(2 ** 30 + 16 * 2 ** 20), "1040Mi");
    assert.equal(formatBytes(2 ** 30), "1Gi");
    assert.equal(formatBytes(1000), "1000");
  });
});
