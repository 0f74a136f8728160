/** The alerts' operations: rules, their firings and webhook deliveries, live firings. */

import { graphql } from "../gql";

export const CreateAlertMutation = graphql(`
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
`);

export const DeleteAlertMutation = graphql(`
  mutation DeleteAlert($id: ID!) {
    deleteAlert(id: $id) {
      __typename
      ... on MutationError {
        message
      }
    }
  }
`);

export const AlertsQuery = graphql(`
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
`);

export const AlertTriggeredSubscription = graphql(`
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
`);
