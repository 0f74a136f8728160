/** The Deals page's filters, kept in the query string (`?min=30&condition=USED`). */

import type { Condition } from "../gql/graphql";

export const DISCOUNTS = [10, 20, 30, 40, 50] as const;
export const DEFAULT_DISCOUNT = 20;

export interface DealFilters {
  minDiscountPct: number;
  condition: Condition | null;
}

export function readFilters(search: string): DealFilters {
  const params = new URLSearchParams(search);
  const min = Number(params.get("min"));
  const condition = params.get("condition");
  return {
    minDiscountPct: Number.isFinite(min) && min >= 0 && min <= 100 && params.has("min") ? min : DEFAULT_DISCOUNT,
    condition: condition === "NEW" || condition === "USED" ? condition : null,
  };
}

export function filtersUrl(filters: DealFilters): string {
  const params = new URLSearchParams();
  if (filters.minDiscountPct !== DEFAULT_DISCOUNT) params.set("min", String(filters.minDiscountPct));
  if (filters.condition) params.set("condition", filters.condition);
  const query = params.toString();
  return query ? `/deals?${query}` : "/deals";
}
