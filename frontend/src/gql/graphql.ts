/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The condition a minifigure is sold in. */
export type Condition =
  /** New, unassembled or never played with. */
  | 'NEW'
  /** Used. */
  | 'USED';

/** What an observed price is. */
export type ListingKind =
  /** An asking price of an open offer. */
  | 'ASK'
  /** A completed sale. */
  | 'SOLD';

/** Which minifigures to list; all given conditions must hold. */
export type MinifigureFilter = {
  /** true: only minifigures with at least one counted price; false: only without. */
  hasPrice?: boolean | null | undefined;
  /** Words to find in the name, fig number or theme; tolerates typos. */
  search?: string | null | undefined;
  /** Only these themes (exact names, see `themes`). */
  themes?: Array<string> | null | undefined;
  /** Only minifigures released in these years. */
  years?: Array<number> | null | undefined;
};

/** How to order minifigures; ties are broken by a stable id. */
export type MinifigureOrder = {
  /** Whose prices PRICE and CHANGE_7D use. */
  condition?: Condition;
  /** Ascending or descending. */
  direction?: SortDirection;
  /** What to order by. */
  field: MinifigureSortField;
};

/** What to order minifigures by. */
export type MinifigureSortField =
  /** Percent change over the last 7 days (no data last). */
  | 'CHANGE_7D'
  /** Fig number. */
  | 'FIG_NUM'
  /** Catalog name. */
  | 'NAME'
  /** Latest daily median price (unpriced last). */
  | 'PRICE'
  /** How well the name matches `filter.search` (needs a search). */
  | 'RELEVANCE'
  /** Year of release (unknown years last). */
  | 'YEAR';

/** The width of a price-history bucket (UTC; weeks start Monday). */
export type PriceInterval =
  /** One calendar day. */
  | 'DAY'
  /** One hour (price history only; the market index is daily). */
  | 'HOUR'
  /** One calendar month. */
  | 'MONTH'
  /** One ISO week, Monday to Sunday. */
  | 'WEEK';

/** Which price ticks to receive; omitted fields match anything. */
export type PriceTickFilter = {
  /** Only this condition. */
  condition?: Condition | null | undefined;
  /** Only these fig numbers (case-insensitive). */
  figNums?: Array<string> | null | undefined;
  /** Only sales or asks. */
  kind?: ListingKind | null | undefined;
  /** Only unit prices at or below this, in US dollars. */
  maxPriceUsd?: string | null | undefined;
  /** Only these minifigures (global ids). */
  minifigureIds?: Array<string | number> | null | undefined;
  /** Only minifigures of these themes (case-insensitive). */
  themes?: Array<string> | null | undefined;
};

/** Sort direction. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** A trailing window of whole days ending today. */
export type StatsWindow =
  /** The last 7 days. */
  | 'D7'
  /** The last 30 days. */
  | 'D30'
  /** The last 90 days. */
  | 'D90'
  /** The last 365 days. */
  | 'Y1';

/** The state of a sync run. */
export type SyncStatus =
  /** Stopped by an error (see `error`). */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** A worker is on it. */
  | 'RUNNING'
  /** Finished without error. */
  | 'SUCCEEDED';

export type HomePageQueryVariables = Exact<{
  indexFrom: string;
  currency: string;
}>;


export type HomePageQuery = { gainers: Array<{ changePct: number, fromPrice: number | null, toPrice: number | null, sampleSize: number, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null } | null }>, losers: Array<{ changePct: number, fromPrice: number | null, toPrice: number | null, sampleSize: number, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null } | null }>, marketIndex: Array<{ start: string, value: number, constituents: number }>, active: { nodes: Array<{ id: string, figNum: string, name: string, theme: string | null, imageUrl: string | null, latestPrice: { lastSale: number | null, lastSaleAt: string | null, lastSeenAt: string | null, lastSaleUsd: number | null } }> } };

export type MoverItemFragment = { changePct: number, fromPrice: number | null, toPrice: number | null, sampleSize: number, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null } | null };

export type BrowsePageQueryVariables = Exact<{
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
  filter?: MinifigureFilter | null | undefined;
  orderBy?: MinifigureOrder | null | undefined;
  currency: string;
}>;


export type BrowsePageQuery = { minifigures: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, figNum: string, name: string, theme: string | null, yearReleased: number | null, imageUrl: string | null, latestPrice: { median: number | null, lastSale: number | null, lastSeenAt: string | null }, stats: { changePct: number | null } }> }, themes: Array<{ name: string, count: number }> };

export type DetailPageQueryVariables = Exact<{
  figNum: string;
  condition: Condition;
  currency: string;
  from: string;
  to: string;
  interval: PriceInterval;
  window: StatsWindow;
}>;


export type DetailPageQuery = { minifigure: { id: string, figNum: string, name: string, theme: string | null, yearReleased: number | null, numParts: number | null, imageUrl: string | null, rebrickableId: string | null, brickowlId: string | null, latestPrice: { lastSale: number | null, lastSaleAt: string | null, lastSaleSource: string | null, lowestAsk: number | null, lowestAskAt: string | null, lowestAskSource: string | null, median: number | null, medianDay: string | null, lastSeenAt: string | null }, stats: { changePct: number | null, volatilityPct: number | null, low: number | null, high: number | null, median: number | null, sampleSize: number, volume: number }, priceHistory: Array<{ start: string, open: number | null, high: number | null, low: number | null, close: number | null, median: number | null, volume: number, trades: number }>, listings: { nodes: Array<{ id: string, source: string, observedAt: string, kind: ListingKind, condition: Condition, quantity: number, price: number | null, excludedReason: string | null, priceUsd: number | null }> } } | null };

export type SyncPageQueryVariables = Exact<{ [key: string]: never; }>;


export type SyncPageQuery = { dataSources: Array<{ id: string, code: string, name: string, kind: string, active: boolean, requestsPerMinute: number | null, dailyQuota: number | null, lastRunAt: string | null, lastSuccessAt: string | null, lastError: string | null }>, syncRuns: { nodes: Array<{ id: string, source: string, kind: string, status: SyncStatus, startedAt: string, finishedAt: string | null, seen: number, saved: number, rejected: number, error: string | null }> } };

export type PriceTicksSubscriptionVariables = Exact<{
  filter?: PriceTickFilter | null | undefined;
  since?: string | null | undefined;
}>;


export type PriceTicksSubscription = { priceTicks: { eventId: string, listingId: string, source: string, kind: ListingKind, condition: Condition, priceUsd: string, quantity: number, observedAt: string, excludedReason: string | null, minifigure: { id: string, figNum: string, name: string } | null } };

export type ComparePageQueryVariables = Exact<{
  a: string;
  b: string;
  c: string;
  d: string;
  withB: boolean;
  withC: boolean;
  withD: boolean;
  condition: Condition;
  currency: string;
  from: string;
  to: string;
  interval: PriceInterval;
}>;


export type ComparePageQuery = { a: { id: string, figNum: string, name: string, priceHistory: Array<{ start: string, median: number | null, close: number | null }> } | null, b?: { id: string, figNum: string, name: string, priceHistory: Array<{ start: string, median: number | null, close: number | null }> } | null, c?: { id: string, figNum: string, name: string, priceHistory: Array<{ start: string, median: number | null, close: number | null }> } | null, d?: { id: string, figNum: string, name: string, priceHistory: Array<{ start: string, median: number | null, close: number | null }> } | null };

export type ComparedFigureFragment = { id: string, figNum: string, name: string, priceHistory: Array<{ start: string, median: number | null, close: number | null }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MoverItemFragmentDoc = new TypedDocumentString(`
    fragment MoverItem on Mover {
  changePct
  fromPrice(currency: $currency)
  toPrice(currency: $currency)
  sampleSize
  minifigure {
    id
    figNum
    name
    imageUrl
  }
}
    `, {"fragmentName":"MoverItem"}) as unknown as TypedDocumentString<MoverItemFragment, unknown>;
export const ComparedFigureFragmentDoc = new TypedDocumentString(`
    fragment ComparedFigure on Minifigure {
  id
  figNum
  name
  priceHistory(
    from: $from
    to: $to
    interval: $interval
    condition: $condition
    kind: SOLD
  ) {
    start
    median(currency: $currency)
    close(currency: $currency)
  }
}
    `, {"fragmentName":"ComparedFigure"}) as unknown as TypedDocumentString<ComparedFigureFragment, unknown>;
export const HomePageDocument = new TypedDocumentString(`
    query HomePage($indexFrom: Date!, $currency: String!) {
  gainers: movers(window: D7, direction: GAINERS, first: 5) {
    ...MoverItem
  }
  losers: movers(window: D7, direction: LOSERS, first: 5) {
    ...MoverItem
  }
  marketIndex(interval: WEEK, from: $indexFrom) {
    start
    value
    constituents
  }
  active: minifigures(
    first: 12
    filter: {hasPrice: true}
    orderBy: {field: CHANGE_7D, direction: DESC}
  ) {
    nodes {
      id
      figNum
      name
      theme
      imageUrl
      latestPrice {
        lastSale(currency: $currency)
        lastSaleUsd: lastSale(currency: "USD")
        lastSaleAt
        lastSeenAt
      }
    }
  }
}
    fragment MoverItem on Mover {
  changePct
  fromPrice(currency: $currency)
  toPrice(currency: $currency)
  sampleSize
  minifigure {
    id
    figNum
    name
    imageUrl
  }
}`) as unknown as TypedDocumentString<HomePageQuery, HomePageQueryVariables>;
export const BrowsePageDocument = new TypedDocumentString(`
    query BrowsePage($first: Int, $last: Int, $after: String, $before: String, $filter: MinifigureFilter, $orderBy: MinifigureOrder, $currency: String!) {
  minifigures(
    first: $first
    last: $last
    after: $after
    before: $before
    filter: $filter
    orderBy: $orderBy
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      figNum
      name
      theme
      yearReleased
      imageUrl
      latestPrice {
        median(currency: $currency)
        lastSale(currency: $currency)
        lastSeenAt
      }
      stats(window: D7) {
        changePct
      }
    }
  }
  themes {
    name
    count
  }
}
    `) as unknown as TypedDocumentString<BrowsePageQuery, BrowsePageQueryVariables>;
export const DetailPageDocument = new TypedDocumentString(`
    query DetailPage($figNum: String!, $condition: Condition!, $currency: String!, $from: DateTime!, $to: DateTime!, $interval: PriceInterval!, $window: StatsWindow!) {
  minifigure(figNum: $figNum) {
    id
    figNum
    name
    theme
    yearReleased
    numParts
    imageUrl
    rebrickableId
    brickowlId
    latestPrice(condition: $condition) {
      lastSale(currency: $currency)
      lastSaleAt
      lastSaleSource
      lowestAsk(currency: $currency)
      lowestAskAt
      lowestAskSource
      median(currency: $currency)
      medianDay
      lastSeenAt
    }
    stats(window: $window, condition: $condition) {
      changePct
      volatilityPct
      low(currency: $currency)
      high(currency: $currency)
      median(currency: $currency)
      sampleSize
      volume
    }
    priceHistory(
      from: $from
      to: $to
      interval: $interval
      condition: $condition
      kind: SOLD
    ) {
      start
      open(currency: $currency)
      high(currency: $currency)
      low(currency: $currency)
      close(currency: $currency)
      median(currency: $currency)
      volume
      trades
    }
    listings(first: 30, condition: $condition, includeExcluded: true) {
      nodes {
        id
        source
        observedAt
        kind
        condition
        quantity
        price(currency: $currency)
        priceUsd: price(currency: "USD")
        excludedReason
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DetailPageQuery, DetailPageQueryVariables>;
export const SyncPageDocument = new TypedDocumentString(`
    query SyncPage {
  dataSources {
    id
    code
    name
    kind
    active
    requestsPerMinute
    dailyQuota
    lastRunAt
    lastSuccessAt
    lastError
  }
  syncRuns(first: 30) {
    nodes {
      id
      source
      kind
      status
      startedAt
      finishedAt
      seen
      saved
      rejected
      error
    }
  }
}
    `) as unknown as TypedDocumentString<SyncPageQuery, SyncPageQueryVariables>;
export const PriceTicksDocument = new TypedDocumentString(`
    subscription PriceTicks($filter: PriceTickFilter, $since: String) {
  priceTicks(filter: $filter, since: $since) {
    eventId
    listingId
    source
    kind
    condition
    priceUsd
    quantity
    observedAt
    excludedReason
    minifigure {
      id
      figNum
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PriceTicksSubscription, PriceTicksSubscriptionVariables>;
export const ComparePageDocument = new TypedDocumentString(`
    query ComparePage($a: String!, $b: String!, $c: String!, $d: String!, $withB: Boolean!, $withC: Boolean!, $withD: Boolean!, $condition: Condition!, $currency: String!, $from: DateTime!, $to: DateTime!, $interval: PriceInterval!) {
  a: minifigure(figNum: $a) {
    ...ComparedFigure
  }
  b: minifigure(figNum: $b) @include(if: $withB) {
    ...ComparedFigure
  }
  c: minifigure(figNum: $c) @include(if: $withC) {
    ...ComparedFigure
  }
  d: minifigure(figNum: $d) @include(if: $withD) {
    ...ComparedFigure
  }
}
    fragment ComparedFigure on Minifigure {
  id
  figNum
  name
  priceHistory(
    from: $from
    to: $to
    interval: $interval
    condition: $condition
    kind: SOLD
  ) {
    start
    median(currency: $currency)
    close(currency: $currency)
  }
}`) as unknown as TypedDocumentString<ComparePageQuery, ComparePageQueryVariables>;