/** Deals (asks far under the recent sold median) and seller bundles. */

import { graphql } from "../gql";

export const DealsQuery = graphql(`
  query Deals($minDiscountPct: Float!, $condition: Condition, $after: String, $currency: String!) {
    deals(minDiscountPct: $minDiscountPct, condition: $condition, first: 20, after: $after) {
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
  }
`);

export const DealFoundSubscription = graphql(`
  subscription DealFound($minDiscountPct: Float!, $condition: Condition, $since: String, $currency: String!) {
    dealFound(minDiscountPct: $minDiscountPct, condition: $condition, since: $since) {
      eventId
      deal {
        ...DealFields
      }
    }
  }
`);

export const SellerBundlesQuery = graphql(`
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
`);
