import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("CSV", () => {
  it("writes a header and rows, empty cells for unknowns", () => {
    expect(toCsv(["day", "close"], [["2026-11-01", 12.5], ["2026-11-02", null]])).toBe("day,close\r\n2026-11-01,12.5\r\n2026-11-02,\r\n");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(toCsv(["name"], [['Luke, "farm boy"'], ["two\nlines"]])).toBe('name\r\n"Luke, ""farm boy"""\r\n"two\nlines"\r\n');
  });

  it("keeps text that a spreadsheet would run as a formula as text, numbers as numbers", () => {
    expect(toCsv(["x"], [["=HYPERLINK(1)"], [-3.5], ["-2"]])).toBe("x\r\n'=HYPERLINK(1)\r\n-3.5\r\n-2\r\n");
  });
});
