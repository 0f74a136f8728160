import { describe, expect, it } from "vitest";
import { lastEventId } from "./resume";

describe("lastEventId", () => {
  it("reads the event id of a subscription message", () => {
    expect(lastEventId({ priceTicks: { eventId: "1700000000000-3", listingId: "x" } })).toBe("1700000000000-3");
  });

  it("is null for messages without one", () => {
    expect(lastEventId({ priceTicks: { listingId: "x" } })).toBeNull();
    expect(lastEventId({ priceTicks: null })).toBeNull();
    expect(lastEventId({ priceTicks: { eventId: 5 } })).toBeNull();
    expect(lastEventId(null)).toBeNull();
  });
});
