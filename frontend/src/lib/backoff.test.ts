import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles from half a second and stops growing at 15 s", () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => backoffDelay(n, top))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
  });

  it("spreads retries over the upper half of the delay", () => {
    expect(backoffDelay(3, () => 0)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(1500);
  });

  it("treats the first attempt like the first failure", () => {
    expect(backoffDelay(0, () => 1)).toBe(500);
  });
});
