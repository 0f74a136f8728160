/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Units of a minifigure you own. */
export type AddHoldingInput = {
  /** When you got them. */
  acquiredOn: string;
  /** The units' condition. */
  condition: Condition;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  /** The minifigure's global id. */
  minifigureId: string | number;
  /** How many (1 to 100000). */
  quantity: number;
  /** What one unit cost, in `currency`. */
  unitCost: string;
};

/** Which side of the rule a price must reach. */
export type AlertDirection =
  /** Price rules: a price strictly above `price`. Move rules: a rise of at least `changePct` percent. */
  | 'ABOVE'
  /** Price rules: a price strictly below `price`. Move rules: a fall of at least `changePct` percent. */
  | 'BELOW';

/** The window a move is measured over: from its median price. */
export type AlertWindow =
  /** The 24 hours before the price. */
  | 'D1'
  /** The 7 days before the price. */
  | 'D7'
  /** The 30 days before the price. */
  | 'D30'
  /** The 90 days before the price. */
  | 'D90';

/** Your Brickset credentials; used for this import only, not kept. */
export type BricksetImportInput = {
  /** The acquisition day to record (default today). */
  acquiredOn?: string | null | undefined;
  /** Your Brickset API key. */
  apiKey: string;
  /** The condition to record. */
  condition?: Condition;
  /** Your user hash (from Brickset's login). */
  userHash: string;
};

/** The condition a minifigure is sold in. */
export type Condition =
  /** New, unassembled or never played with. */
  | 'NEW'
  /** Used. */
  | 'USED';

/** A price alert: either `price` (+ `currency`) or `changePct` (+ `window`). */
export type CreateAlertInput = {
  /** Fire on a move of at least this many percent. */
  changePct?: string | null | undefined;
  /** Its condition. */
  condition?: Condition;
  /** ISO 4217 code of `price` (default USD). */
  currency?: string | null | undefined;
  /** Which side fires. */
  direction: AlertDirection;
  /** Watch sold prices or asking prices. */
  kind?: ListingKind;
  /** The minifigure's global id. */
  minifigureId: string | number;
  /** Fire on a price beyond this amount (in `currency`). */
  price?: string | null | undefined;
  /** POST each firing here (http or https), signed. */
  webhookUrl?: string | null | undefined;
  /** The window the move is measured over (default 7D). */
  window?: AlertWindow | null | undefined;
};

/** Why a mutation did nothing. */
export type ErrorCode =
  /** Another object already has this value (see `field`). */
  | 'DUPLICATE'
  /** An account with this email exists already. */
  | 'EMAIL_TAKEN'
  /** The credential lacks the scope this needs (see `message`). */
  | 'FORBIDDEN'
  /** Wrong email or password, or a bearer credential that is not valid. */
  | 'INVALID_CREDENTIALS'
  /** The refresh token is unknown, expired, already used or signed out. */
  | 'INVALID_REFRESH_TOKEN'
  /** Some import rows are invalid; nothing was saved. */
  | 'INVALID_ROWS'
  /** An alert needs either `price` (with `currency`) or `changePct` (with `window`), not both and not neither. */
  | 'INVALID_RULE'
  /** A value breaks a rule; see `field` and `message`. */
  | 'INVALID_VALUE'
  /** The webhook URL is malformed, not http(s), or its host does not resolve. */
  | 'INVALID_WEBHOOK_URL'
  /** No such object (for collector data: none among yours); see `field`. */
  | 'NOT_FOUND'
  /** The access token expired: call refreshSession. */
  | 'TOKEN_EXPIRED'
  /** Sign in, or send `Authorization: Bearer <access token or API key>`. */
  | 'UNAUTHENTICATED'
  /** No valid admin API key (`Authorization: Bearer <key>`). */
  | 'UNAUTHORIZED'
  /** Not an ISO 4217 code, or a currency without exchange rates here. */
  | 'UNKNOWN_CURRENCY'
  /** The outside service (Brickset) refused or failed. */
  | 'UPSTREAM_ERROR'
  /** The webhook's host is or resolves to a loopback, link-local or private address, which this server does not POST to. */
  | 'WEBHOOK_TARGET_REFUSED';

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

/** What a credential may do. */
export type Scope =
  /** Administer the catalog and syncs (admin accounts only). */
  | 'ADMIN'
  /** Read your account, watchlist, portfolio. */
  | 'READ'
  /** Change your watchlist and portfolio, manage API keys. */
  | 'WRITE';

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

/** Where a firing's webhook delivery stands. */
export type WebhookStatus =
  /** The receiver answered 2xx. */
  | 'DELIVERED'
  /** Every attempt failed, or the target was refused. */
  | 'FAILED'
  /** Not delivered yet; retries remain. */
  | 'PENDING';

export type CreateAlertMutationVariables = Exact<{
  input: CreateAlertInput;
}>;


export type CreateAlertMutation = { createAlert:
    | { __typename: 'AlertError', code: ErrorCode, field: string | null, message: string }
    | { __typename: 'CreateAlertSuccess', webhookSecret: string, alert: { id: string } }
   };

export type DeleteAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAlertMutation = { deleteAlert:
    | { __typename: 'AlertError', message: string }
    | { __typename: 'DeleteAlertSuccess' }
   };

export type AlertsQueryVariables = Exact<{
  currency: string;
}>;


export type AlertsQuery = { viewer: { alerts: Array<{ id: string, kind: ListingKind, condition: Condition, direction: AlertDirection, price: number | null, currency: string | null, changePct: number | null, window: AlertWindow | null, webhookUrl: string | null, armed: boolean, minifigure: { id: string, figNum: string, name: string }, webhookDeliveries: Array<{ alertEventId: string, attempt: number, statusCode: number | null, error: string | null, attemptedAt: string }> }>, alertEvents: { edges: Array<{ node: { id: string, alertId: string, kind: ListingKind, condition: Condition, source: string, price: number | null, changePct: number | null, observedAt: string, firedAt: string, webhookStatus: WebhookStatus | null, minifigure: { figNum: string, name: string } } }> } } | null };

export type AlertTriggeredSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertTriggeredSubscription = { alertTriggered: { eventId: string, alertEvent: { id: string, kind: ListingKind, condition: Condition, price: number | null, changePct: number | null, minifigure: { figNum: string, name: string } } } };

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
  statsFrom: string;
  today: string;
}>;


export type DetailPageQuery = { minifigure: { id: string, figNum: string, name: string, theme: string | null, yearReleased: number | null, numParts: number | null, imageUrl: string | null, rebrickableId: string | null, brickowlId: string | null, latestPrice: { lastSale: number | null, lastSaleAt: string | null, lastSaleSource: string | null, lowestAsk: number | null, lowestAskAt: string | null, lowestAskSource: string | null, median: number | null, medianDay: string | null, lastSeenAt: string | null }, stats: { changePct: number | null, volatilityPct: number | null, low: number | null, high: number | null, median: number | null, sampleSize: number, volume: number }, priceHistory: Array<{ start: string, open: number | null, high: number | null, low: number | null, close: number | null, median: number | null, volume: number, trades: number }>, dailyMedians: Array<{ start: string, median: number | null }>, todaysSales: { nodes: Array<{ priceUsd: number | null }>, pageInfo: { hasNextPage: boolean } }, listings: { nodes: Array<{ id: string, source: string, observedAt: string, kind: ListingKind, condition: Condition, quantity: number, price: number | null, excludedReason: string | null, priceUsd: number | null }> } } | null };

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

export type SignUpMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignUpMutation = { signUp:
    | { __typename: 'AuthError', code: ErrorCode, field: string | null, message: string }
    | { __typename: 'AuthSession', accessToken: string, refreshToken: string, expiresAt: string, viewer: { email: string } }
   };

export type SessionFieldsFragment = { accessToken: string, refreshToken: string, expiresAt: string, viewer: { email: string } };

export type SignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignInMutation = { signIn:
    | { __typename: 'AuthError', code: ErrorCode, field: string | null, message: string }
    | { __typename: 'AuthSession', accessToken: string, refreshToken: string, expiresAt: string, viewer: { email: string } }
   };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession:
    | { __typename: 'AuthError', code: ErrorCode, message: string }
    | { __typename: 'AuthSession', accessToken: string, refreshToken: string, expiresAt: string, viewer: { email: string } }
   };

export type SignOutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type SignOutMutation = { signOut:
    | { __typename: 'AuthError' }
    | { __typename: 'SignOutSuccess' }
   };

export type AccountQueryVariables = Exact<{ [key: string]: never; }>;


export type AccountQuery = { viewer: { email: string, apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<Scope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> } | null };

export type CreateApiKeyMutationVariables = Exact<{
  name: string;
  scopes: Array<Scope> | Scope;
}>;


export type CreateApiKeyMutation = { createApiKey:
    | { __typename: 'ApiKeyError', code: ErrorCode, message: string }
    | { __typename: 'CreateApiKeySuccess', secret: string, apiKey: { id: string, prefix: string } }
   };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey:
    | { __typename: 'ApiKeyError', message: string }
    | { __typename: 'RevokeApiKeySuccess' }
   };

export type WatchlistQueryVariables = Exact<{
  currency: string;
}>;


export type WatchlistQuery = { viewer: { watchlist: Array<{ id: string, condition: Condition, lastSalePrice: number | null, lastSaleAt: string | null, change7dPct: number | null, change30dPct: number | null, minifigure: { id: string, figNum: string, name: string, theme: string | null, imageUrl: string | null } }> } | null };

export type ExportsQueryVariables = Exact<{ [key: string]: never; }>;


export type ExportsQuery = { viewer: { holdingsCsv: string, watchlistCsv: string } | null };

export type AddToWatchlistMutationVariables = Exact<{
  minifigureId: string | number;
  condition: Condition;
}>;


export type AddToWatchlistMutation = { addToWatchlist:
    | { __typename: 'AddToWatchlistSuccess' }
    | { __typename: 'WatchlistError', message: string }
   };

export type RemoveFromWatchlistMutationVariables = Exact<{
  minifigureId: string | number;
  condition: Condition;
}>;


export type RemoveFromWatchlistMutation = { removeFromWatchlist:
    | { __typename: 'RemoveFromWatchlistSuccess' }
    | { __typename: 'WatchlistError', message: string }
   };

export type FigureStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type FigureStatusQuery = { viewer: { watchlist: Array<{ condition: Condition, minifigure: { id: string } }> } | null };

export type PortfolioQueryVariables = Exact<{
  currency: string;
  from: string;
}>;


export type PortfolioQuery = { viewer: { portfolio: { currency: string, value: number, cost: number, profitLoss: number, profitLossPct: number | null, history: Array<{ day: string, value: number, cost: number }>, holdings: Array<{ unitPrice: number | null, value: number, cost: number, profitLoss: number, profitLossPct: number | null, holding: { id: string, condition: Condition, quantity: number, unitCost: number, currency: string, acquiredOn: string }, minifigure: { id: string, figNum: string, name: string } }> } } | null };

export type PortfolioFieldsFragment = { currency: string, value: number, cost: number, profitLoss: number, profitLossPct: number | null, holdings: Array<{ unitPrice: number | null, value: number, cost: number, profitLoss: number, profitLossPct: number | null, holding: { id: string, condition: Condition, quantity: number, unitCost: number, currency: string, acquiredOn: string }, minifigure: { id: string, figNum: string, name: string } }> };

export type PortfolioValueSubscriptionVariables = Exact<{
  currency: string;
}>;


export type PortfolioValueSubscription = { portfolioValue: { eventId: string | null, portfolio: { currency: string, value: number, cost: number, profitLoss: number, profitLossPct: number | null, holdings: Array<{ unitPrice: number | null, value: number, cost: number, profitLoss: number, profitLossPct: number | null, holding: { id: string, condition: Condition, quantity: number, unitCost: number, currency: string, acquiredOn: string }, minifigure: { id: string, figNum: string, name: string } }> } } };

export type AddHoldingMutationVariables = Exact<{
  input: AddHoldingInput;
}>;


export type AddHoldingMutation = { addHolding:
    | { __typename: 'HoldingError', field: string | null, message: string }
    | { __typename: 'HoldingSuccess' }
   };

export type RemoveHoldingMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveHoldingMutation = { removeHolding:
    | { __typename: 'HoldingError', message: string }
    | { __typename: 'RemoveHoldingSuccess' }
   };

export type PreviewHoldingsCsvMutationVariables = Exact<{
  csv: string;
}>;


export type PreviewHoldingsCsvMutation = { previewHoldingsCsv:
    | { __typename: 'HoldingsImportError', code: ErrorCode, message: string }
    | { __typename: 'HoldingsImportPreview', validRows: number, invalidRows: number, rows: Array<{ line: number, figNum: string, quantity: number | null, unitCost: number | null, currency: string, acquiredOn: string | null, condition: Condition | null, minifigure: { name: string } | null, errors: Array<{ field: string, message: string }> }> }
   };

export type ImportRowFieldsFragment = { line: number, figNum: string, quantity: number | null, unitCost: number | null, currency: string, acquiredOn: string | null, condition: Condition | null, minifigure: { name: string } | null, errors: Array<{ field: string, message: string }> };

export type ImportHoldingsCsvMutationVariables = Exact<{
  csv: string;
}>;


export type ImportHoldingsCsvMutation = { importHoldingsCsv:
    | { __typename: 'HoldingsImportError', code: ErrorCode, message: string }
    | { __typename: 'ImportHoldingsSuccess', holdings: Array<{ id: string }> }
   };

export type ImportBricksetMutationVariables = Exact<{
  input: BricksetImportInput;
}>;


export type ImportBricksetMutation = { importBricksetCollection:
    | { __typename: 'HoldingsImportError', code: ErrorCode, message: string }
    | { __typename: 'ImportHoldingsSuccess', holdings: Array<{ id: string }>, skipped: Array<{ line: number, figNum: string, quantity: number | null, unitCost: number | null, currency: string, acquiredOn: string | null, condition: Condition | null, minifigure: { name: string } | null, errors: Array<{ field: string, message: string }> }> }
   };

export type DealsQueryVariables = Exact<{
  minDiscountPct: number;
  condition?: Condition | null | undefined;
  after?: string | null | undefined;
  currency: string;
}>;


export type DealsQuery = { deals: { edges: Array<{ node: { url: string | null, condition: Condition, ask: number | null, soldMedian: number | null, discountPct: number, listing: { id: string, source: string, observedAt: string, sellerName: string | null, excludedReason: string | null }, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null }, spread: Array<{ source: string, asks: number, lowest: number | null }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DealFieldsFragment = { url: string | null, condition: Condition, ask: number | null, soldMedian: number | null, discountPct: number, listing: { id: string, source: string, observedAt: string, sellerName: string | null, excludedReason: string | null }, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null }, spread: Array<{ source: string, asks: number, lowest: number | null }> };

export type DealFoundSubscriptionVariables = Exact<{
  minDiscountPct: number;
  condition?: Condition | null | undefined;
  since?: string | null | undefined;
  currency: string;
}>;


export type DealFoundSubscription = { dealFound: { eventId: string, deal: { url: string | null, condition: Condition, ask: number | null, soldMedian: number | null, discountPct: number, listing: { id: string, source: string, observedAt: string, sellerName: string | null, excludedReason: string | null }, minifigure: { id: string, figNum: string, name: string, imageUrl: string | null }, spread: Array<{ source: string, asks: number, lowest: number | null }> } | null } };

export type SellerBundlesQueryVariables = Exact<{
  currency: string;
}>;


export type SellerBundlesQuery = { viewer: { sellerBundles: Array<{ source: string, sellerName: string, sellerCountry: string | null, figuresCovered: number, total: number | null, items: Array<{ url: string | null, condition: Condition, price: number | null, listing: { id: string }, minifigure: { figNum: string, name: string } }> }> } | null };

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
export const SessionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SessionFields on AuthSession {
  accessToken
  refreshToken
  expiresAt
  viewer {
    email
  }
}
    `, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const PortfolioFieldsFragmentDoc = new TypedDocumentString(`
    fragment PortfolioFields on Portfolio {
  currency
  value
  cost
  profitLoss
  profitLossPct
  holdings {
    unitPrice
    value
    cost
    profitLoss
    profitLossPct
    holding {
      id
      condition
      quantity
      unitCost
      currency
      acquiredOn
    }
    minifigure {
      id
      figNum
      name
    }
  }
}
    `, {"fragmentName":"PortfolioFields"}) as unknown as TypedDocumentString<PortfolioFieldsFragment, unknown>;
export const ImportRowFieldsFragmentDoc = new TypedDocumentString(`
    fragment ImportRowFields on ImportRowPreview {
  line
  figNum
  quantity
  unitCost
  currency
  acquiredOn
  condition
  minifigure {
    name
  }
  errors {
    field
    message
  }
}
    `, {"fragmentName":"ImportRowFields"}) as unknown as TypedDocumentString<ImportRowFieldsFragment, unknown>;
export const DealFieldsFragmentDoc = new TypedDocumentString(`
    fragment DealFields on Deal {
  url
  condition
  ask(currency: $currency)
  soldMedian(currency: $currency)
  discountPct
  listing {
    id
    source
    observedAt
    sellerName
    excludedReason
  }
  minifigure {
    id
    figNum
    name
    imageUrl
  }
  spread {
    source
    asks
    lowest(currency: $currency)
  }
}
    `, {"fragmentName":"DealFields"}) as unknown as TypedDocumentString<DealFieldsFragment, unknown>;
export const CreateAlertDocument = new TypedDocumentString(`
    mutation CreateAlert($input: CreateAlertInput!) {
  createAlert(input: $input) {
    __typename
    ... on CreateAlertSuccess {
      webhookSecret
      alert {
        id
      }
    }
    ... on MutationError {
      code
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CreateAlertMutation, CreateAlertMutationVariables>;
export const DeleteAlertDocument = new TypedDocumentString(`
    mutation DeleteAlert($id: ID!) {
  deleteAlert(id: $id) {
    __typename
    ... on MutationError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteAlertMutation, DeleteAlertMutationVariables>;
export const AlertsDocument = new TypedDocumentString(`
    query Alerts($currency: String!) {
  viewer {
    alerts {
      id
      kind
      condition
      direction
      price
      currency
      changePct
      window
      webhookUrl
      armed
      minifigure {
        id
        figNum
        name
      }
      webhookDeliveries {
        alertEventId
        attempt
        statusCode
        error
        attemptedAt
      }
    }
    alertEvents(first: 50) {
      edges {
        node {
          id
          alertId
          kind
          condition
          source
          price(currency: $currency)
          changePct
          observedAt
          firedAt
          webhookStatus
          minifigure {
            figNum
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AlertsQuery, AlertsQueryVariables>;
export const AlertTriggeredDocument = new TypedDocumentString(`
    subscription AlertTriggered {
  alertTriggered {
    eventId
    alertEvent {
      id
      kind
      condition
      price
      changePct
      minifigure {
        figNum
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AlertTriggeredSubscription, AlertTriggeredSubscriptionVariables>;
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
    query DetailPage($figNum: String!, $condition: Condition!, $currency: String!, $from: DateTime!, $to: DateTime!, $interval: PriceInterval!, $window: StatsWindow!, $statsFrom: DateTime!, $today: DateTime!) {
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
    dailyMedians: priceHistory(
      from: $statsFrom
      to: $to
      interval: DAY
      condition: $condition
      kind: SOLD
    ) {
      start
      median
    }
    todaysSales: listings(
      first: 50
      from: $today
      kind: SOLD
      condition: $condition
    ) {
      nodes {
        priceUsd: price(currency: "USD")
      }
      pageInfo {
        hasNextPage
      }
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
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($email: String!, $password: String!) {
  signUp(input: {email: $email, password: $password}) {
    __typename
    ... on AuthSession {
      ...SessionFields
    }
    ... on MutationError {
      code
      field
      message
    }
  }
}
    fragment SessionFields on AuthSession {
  accessToken
  refreshToken
  expiresAt
  viewer {
    email
  }
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) {
    __typename
    ... on AuthSession {
      ...SessionFields
    }
    ... on MutationError {
      code
      field
      message
    }
  }
}
    fragment SessionFields on AuthSession {
  accessToken
  refreshToken
  expiresAt
  viewer {
    email
  }
}`) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(input: {refreshToken: $refreshToken}) {
    __typename
    ... on AuthSession {
      ...SessionFields
    }
    ... on MutationError {
      code
      message
    }
  }
}
    fragment SessionFields on AuthSession {
  accessToken
  refreshToken
  expiresAt
  viewer {
    email
  }
}`) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut($refreshToken: String!) {
  signOut(input: {refreshToken: $refreshToken}) {
    __typename
  }
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const AccountDocument = new TypedDocumentString(`
    query Account {
  viewer {
    email
    apiKeys {
      id
      name
      prefix
      scopes
      createdAt
      lastUsedAt
      revokedAt
    }
  }
}
    `) as unknown as TypedDocumentString<AccountQuery, AccountQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($name: String!, $scopes: [Scope!]!) {
  createApiKey(input: {name: $name, scopes: $scopes}) {
    __typename
    ... on CreateApiKeySuccess {
      secret
      apiKey {
        id
        prefix
      }
    }
    ... on MutationError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on MutationError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const WatchlistDocument = new TypedDocumentString(`
    query Watchlist($currency: String!) {
  viewer {
    watchlist {
      id
      condition
      lastSalePrice(currency: $currency)
      lastSaleAt
      change7dPct
      change30dPct
      minifigure {
        id
        figNum
        name
        theme
        imageUrl
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WatchlistQuery, WatchlistQueryVariables>;
export const ExportsDocument = new TypedDocumentString(`
    query Exports {
  viewer {
    holdingsCsv
    watchlistCsv
  }
}
    `) as unknown as TypedDocumentString<ExportsQuery, ExportsQueryVariables>;
export const AddToWatchlistDocument = new TypedDocumentString(`
    mutation AddToWatchlist($minifigureId: ID!, $condition: Condition!) {
  addToWatchlist(input: {minifigureId: $minifigureId, condition: $condition}) {
    __typename
    ... on MutationError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AddToWatchlistMutation, AddToWatchlistMutationVariables>;
export const RemoveFromWatchlistDocument = new TypedDocumentString(`
    mutation RemoveFromWatchlist($minifigureId: ID!, $condition: Condition!) {
  removeFromWatchlist(input: {minifigureId: $minifigureId, condition: $condition}) {
    __typename
    ... on MutationError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveFromWatchlistMutation, RemoveFromWatchlistMutationVariables>;
export const FigureStatusDocument = new TypedDocumentString(`
    query FigureStatus {
  viewer {
    watchlist {
      condition
      minifigure {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FigureStatusQuery, FigureStatusQueryVariables>;
export const PortfolioDocument = new TypedDocumentString(`
    query Portfolio($currency: String!, $from: Date!) {
  viewer {
    portfolio(currency: $currency) {
      ...PortfolioFields
      history(from: $from, interval: DAY) {
        day
        value
        cost
      }
    }
  }
}
    fragment PortfolioFields on Portfolio {
  currency
  value
  cost
  profitLoss
  profitLossPct
  holdings {
    unitPrice
    value
    cost
    profitLoss
    profitLossPct
    holding {
      id
      condition
      quantity
      unitCost
      currency
      acquiredOn
    }
    minifigure {
      id
      figNum
      name
    }
  }
}`) as unknown as TypedDocumentString<PortfolioQuery, PortfolioQueryVariables>;
export const PortfolioValueDocument = new TypedDocumentString(`
    subscription PortfolioValue($currency: String!) {
  portfolioValue(currency: $currency) {
    eventId
    portfolio {
      ...PortfolioFields
    }
  }
}
    fragment PortfolioFields on Portfolio {
  currency
  value
  cost
  profitLoss
  profitLossPct
  holdings {
    unitPrice
    value
    cost
    profitLoss
    profitLossPct
    holding {
      id
      condition
      quantity
      unitCost
      currency
      acquiredOn
    }
    minifigure {
      id
      figNum
      name
    }
  }
}`) as unknown as TypedDocumentString<PortfolioValueSubscription, PortfolioValueSubscriptionVariables>;
export const AddHoldingDocument = new TypedDocumentString(`
    mutation AddHolding($input: AddHoldingInput!) {
  addHolding(input: $input) {
    __typename
    ... on MutationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AddHoldingMutation, AddHoldingMutationVariables>;
export const RemoveHoldingDocument = new TypedDocumentString(`
    mutation RemoveHolding($id: ID!) {
  removeHolding(id: $id) {
    __typename
    ... on MutationError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveHoldingMutation, RemoveHoldingMutationVariables>;
export const PreviewHoldingsCsvDocument = new TypedDocumentString(`
    mutation PreviewHoldingsCsv($csv: String!) {
  previewHoldingsCsv(csv: $csv) {
    __typename
    ... on HoldingsImportPreview {
      validRows
      invalidRows
      rows {
        ...ImportRowFields
      }
    }
    ... on MutationError {
      code
      message
    }
  }
}
    fragment ImportRowFields on ImportRowPreview {
  line
  figNum
  quantity
  unitCost
  currency
  acquiredOn
  condition
  minifigure {
    name
  }
  errors {
    field
    message
  }
}`) as unknown as TypedDocumentString<PreviewHoldingsCsvMutation, PreviewHoldingsCsvMutationVariables>;
export const ImportHoldingsCsvDocument = new TypedDocumentString(`
    mutation ImportHoldingsCsv($csv: String!) {
  importHoldingsCsv(csv: $csv) {
    __typename
    ... on ImportHoldingsSuccess {
      holdings {
        id
      }
    }
    ... on MutationError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ImportHoldingsCsvMutation, ImportHoldingsCsvMutationVariables>;
export const ImportBricksetDocument = new TypedDocumentString(`
    mutation ImportBrickset($input: BricksetImportInput!) {
  importBricksetCollection(input: $input) {
    __typename
    ... on ImportHoldingsSuccess {
      holdings {
        id
      }
      skipped {
        ...ImportRowFields
      }
    }
    ... on MutationError {
      code
      message
    }
  }
}
    fragment ImportRowFields on ImportRowPreview {
  line
  figNum
  quantity
  unitCost
  currency
  acquiredOn
  condition
  minifigure {
    name
  }
  errors {
    field
    message
  }
}`) as unknown as TypedDocumentString<ImportBricksetMutation, ImportBricksetMutationVariables>;
export const DealsDocument = new TypedDocumentString(`
    query Deals($minDiscountPct: Float!, $condition: Condition, $after: String, $currency: String!) {
  deals(
    minDiscountPct: $minDiscountPct
    condition: $condition
    first: 20
    after: $after
  ) {
    edges {
      node {
        ...DealFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment DealFields on Deal {
  url
  condition
  ask(currency: $currency)
  soldMedian(currency: $currency)
  discountPct
  listing {
    id
    source
    observedAt
    sellerName
    excludedReason
  }
  minifigure {
    id
    figNum
    name
    imageUrl
  }
  spread {
    source
    asks
    lowest(currency: $currency)
  }
}`) as unknown as TypedDocumentString<DealsQuery, DealsQueryVariables>;
export const DealFoundDocument = new TypedDocumentString(`
    subscription DealFound($minDiscountPct: Float!, $condition: Condition, $since: String, $currency: String!) {
  dealFound(minDiscountPct: $minDiscountPct, condition: $condition, since: $since) {
    eventId
    deal {
      ...DealFields
    }
  }
}
    fragment DealFields on Deal {
  url
  condition
  ask(currency: $currency)
  soldMedian(currency: $currency)
  discountPct
  listing {
    id
    source
    observedAt
    sellerName
    excludedReason
  }
  minifigure {
    id
    figNum
    name
    imageUrl
  }
  spread {
    source
    asks
    lowest(currency: $currency)
  }
}`) as unknown as TypedDocumentString<DealFoundSubscription, DealFoundSubscriptionVariables>;
export const SellerBundlesDocument = new TypedDocumentString(`
    query SellerBundles($currency: String!) {
  viewer {
    sellerBundles(first: 5) {
      source
      sellerName
      sellerCountry
      figuresCovered
      total(currency: $currency)
      items {
        url
        condition
        price(currency: $currency)
        listing {
          id
        }
        minifigure {
          figNum
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SellerBundlesQuery, SellerBundlesQueryVariables>;