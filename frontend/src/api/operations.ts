/** Every GraphQL operation of the app; `npm run codegen` types them into src/gql/. */

import { graphql } from "../gql";

export const HomePageQuery = graphql(`
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
    active: minifigures(first: 12, filter: { hasPrice: true }, orderBy: { field: CHANGE_7D, direction: DESC }) {
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
  }
`);

export const BrowsePageQuery = graphql(`
  query BrowsePage(
    $first: Int
    $last: Int
    $after: String
    $before: String
    $filter: MinifigureFilter
    $orderBy: MinifigureOrder
    $currency: String!
  ) {
    minifigures(first: $first, last: $last, after: $after, before: $before, filter: $filter, orderBy: $orderBy) {
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
`);

export const DetailPageQuery = graphql(`
  query DetailPage(
    $figNum: String!
    $condition: Condition!
    $currency: String!
    $from: DateTime!
    $to: DateTime!
    $interval: PriceInterval!
    $window: StatsWindow!
    $statsFrom: DateTime!
    $today: DateTime!
  ) {
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
      priceHistory(from: $from, to: $to, interval: $interval, condition: $condition, kind: SOLD) {
        start
        open(currency: $currency)
        high(currency: $currency)
        low(currency: $currency)
        close(currency: $currency)
        median(currency: $currency)
        volume
        trades
      }
      # What the Volatility card is computed from, so it can follow live sales: the daily
      # medians (USD) of the stats window, and today's counted sale prices.
      dailyMedians: priceHistory(from: $statsFrom, to: $to, interval: DAY, condition: $condition, kind: SOLD) {
        start
        median
      }
      todaysSales: listings(first: 50, from: $today, kind: SOLD, condition: $condition) {
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
`);

export const SyncPageQuery = graphql(`
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
`);

export const PriceTicksSubscription = graphql(`
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
`);

export const ComparePageQuery = graphql(`
  query ComparePage(
    $a: String!
    $b: String!
    $c: String!
    $d: String!
    $withB: Boolean!
    $withC: Boolean!
    $withD: Boolean!
    $condition: Condition!
    $currency: String!
    $from: DateTime!
    $to: DateTime!
    $interval: PriceInterval!
  ) {
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
    priceHistory(from: $from, to: $to, interval: $interval, condition: $condition, kind: SOLD) {
      start
      median(currency: $currency)
      close(currency: $currency)
    }
  }
`);
