/** The collectors' operations: sessions, API keys, watchlist, portfolio, imports. */

import { graphql } from "../gql";

export const SignUpMutation = graphql(`
  mutation SignUp($email: String!, $password: String!) {
    signUp(input: { email: $email, password: $password }) {
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
  }
`);

export const SignInMutation = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(input: { email: $email, password: $password }) {
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
`);

export const RefreshSessionMutation = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(input: { refreshToken: $refreshToken }) {
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
`);

export const SignOutMutation = graphql(`
  mutation SignOut($refreshToken: String!) {
    signOut(input: { refreshToken: $refreshToken }) {
      __typename
    }
  }
`);

export const AccountQuery = graphql(`
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
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($name: String!, $scopes: [Scope!]!) {
    createApiKey(input: { name: $name, scopes: $scopes }) {
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
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationError {
        message
      }
    }
  }
`);

export const WatchlistQuery = graphql(`
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
`);

export const ExportsQuery = graphql(`
  query Exports {
    viewer {
      holdingsCsv
      watchlistCsv
    }
  }
`);

export const AddToWatchlistMutation = graphql(`
  mutation AddToWatchlist($minifigureId: ID!, $condition: Condition!) {
    addToWatchlist(input: { minifigureId: $minifigureId, condition: $condition }) {
      __typename
      ... on MutationError {
        message
      }
    }
  }
`);

export const RemoveFromWatchlistMutation = graphql(`
  mutation RemoveFromWatchlist($minifigureId: ID!, $condition: Condition!) {
    removeFromWatchlist(input: { minifigureId: $minifigureId, condition: $condition }) {
      __typename
      ... on MutationError {
        message
      }
    }
  }
`);

export const FigureStatusQuery = graphql(`
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
`);

export const PortfolioQuery = graphql(`
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
  }
`);

export const PortfolioValueSubscription = graphql(`
  subscription PortfolioValue($currency: String!) {
    portfolioValue(currency: $currency) {
      eventId
      portfolio {
        ...PortfolioFields
      }
    }
  }
`);

export const AddHoldingMutation = graphql(`
  mutation AddHolding($input: AddHoldingInput!) {
    addHolding(input: $input) {
      __typename
      ... on MutationError {
        field
        message
      }
    }
  }
`);

export const RemoveHoldingMutation = graphql(`
  mutation RemoveHolding($id: ID!) {
    removeHolding(id: $id) {
      __typename
      ... on MutationError {
        message
      }
    }
  }
`);

export const PreviewHoldingsCsvMutation = graphql(`
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
  }
`);

export const ImportHoldingsCsvMutation = graphql(`
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
`);

export const ImportBricksetMutation = graphql(`
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
`);
