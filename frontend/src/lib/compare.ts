/** The compare page's state in the URL: up to four fig numbers, a range and a condition. */

import { isRange, type Range } from "./range";

export const MAX_COMPARED = 4;

export interface CompareState {
  figs: string[];
  range: Range;
  condition: "USED" | "NEW";
}

export function parseCompare(search: string): CompareState {
  const params = new URLSearchParams(search);
  const figs = (params.get("figs") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const range = params.get("range");
  return {
    figs: [...new Set(figs)].slice(0, MAX_COMPARED),
    range: isRange(range) ? range : "1Y",
    condition: params.get("condition") === "NEW" ? "NEW" : "USED",
  };
}

export function compareToSearch(state: CompareState): string {
  const params = new URLSearchParams();
  if (state.figs.length > 0) params.set("figs", state.figs.join(","));
  if (state.range !== "1Y") params.set("range", state.range);
  if (state.condition !== "USED") params.set("condition", state.condition);
  const text = params.toString().replaceAll("%2C", ",");
  return text ? `?${text}` : "";
}

/** The state with `figNum` added at the end (no repeats; at most four). */
export function withFigure(state: CompareState, figNum: string): CompareState {
  const fig = figNum.trim();
  if (!fig || state.figs.includes(fig) || state.figs.length >= MAX_COMPARED) return state;
  return { ...state, figs: [...state.figs, fig] };
}

/** The four fixed slots of the query: unused ones are left out with @include(if: false). */
export function compareSlots(figs: readonly string[]) {
  const slot = (i: number) => figs[i] ?? "";
  return {
    a: slot(0),
    b: slot(1),
    c: slot(2),
    d: slot(3),
    withB: figs.length > 1,
    withC: figs.length > 2,
    withD: figs.length > 3,
  };
}
