/** How long to wait before the next attempt after `failures` failed ones in a row. */

const BASE_MS = 500;
const MAX_MS = 15_000;

/**
 * Exponential (0.5 s, 1 s, 2 s, … up to 15 s) with jitter in [50 %, 100 %], so a restarted
 * server is not met by every browser at the same instant. `random` is injectable for tests.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
