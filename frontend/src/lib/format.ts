/** Display formatting of money, percentages and times; missing values show as a dash. */

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF"] as const;
export type Currency = (typeof CURRENCIES)[number];

const DASH = "—";

export function formatMoney(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return DASH;
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return DASH;
  const sign = pct > 0 ? "+" : pct < 0 ? "−" : "";
  return `${sign}${Math.abs(pct).toFixed(1)}%`;
}

/** "up", "down" or "flat": the class that colours a change. */
export function trend(pct: number | null | undefined): "up" | "down" | "flat" {
  if (pct === null || pct === undefined || pct === 0) return "flat";
  return pct > 0 ? "up" : "down";
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return new Date(iso).toLocaleString("en-GB", {
    day: "2-digit",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  });
}

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString("en-GB", {
    day: "2-digit",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** "5 min ago"-style age of a timestamp relative to `now`. */
export function formatAge(iso: string | null | undefined, now: Date): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The time of day of a timestamp, in UTC ("14:03:22 UTC"), for the live tape. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return `${new Date(iso).toLocaleTimeString("en-GB", { timeZone: "UTC", hour12: false })} UTC`;
}

/**
 * A USD amount in `currency` at `perUsd` (units per USD), or in USD when no rate is known:
 * the amount and the currency it is shown in.
 */
export function fromUsd(usd: number, currency: Currency, perUsd: number | null): { amount: number; currency: Currency } {
  if (currency === "USD") return { amount: usd, currency };
  if (perUsd === null) return { amount: usd, currency: "USD" };
  return { amount: Math.round(usd * perUsd * 100) / 100, currency };
}
