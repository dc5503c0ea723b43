// The GraphQL fragments views share: a node's label and a claim with everything a claim's
// line on a page shows.

import { gql } from '@urql/core';

export const NODE_LABEL = gql`
  fragment NodeLabel on Node {
    __typename
    id
    ... on Actor { name actorKind: kind }
    ... on Event { title occurredOn eventKind: kind }
    ... on Location { name locationKind: kind }
    ... on Source { title }
    ... on Statement { text saidOn }
    ... on Claim { relation }
    ... on Stance { position }
  }
`;

export const CLAIM_FIELDS = gql`
  fragment ClaimFields on Claim {
    id
    version
    relation
    confidence
    status
    validFrom
    validTo
    note
    asserterUnknown
    subject { ...NodeLabel }
    object { ...NodeLabel }
    value { text amount unit approximate }
    assertedBy { id name }
    source { id title published publisher { id name } }
    evidence { id text saidOn speaker { id name } }
    qualifiers { years role }
    stances { id position actor { id name } }
    corroboration { corroborated selfAsserted sourceCount independentSourceCount }
  }
  ${NODE_LABEL}
`;

export const MOTIVE_FIELDS = gql`
  fragment MotiveFields on MotiveEdge {
    kind
    years
    via
    through { ...NodeLabel }
    claim { ...ClaimFields }
    node { id title occurredOn }
  }
  ${CLAIM_FIELDS}
`;


// An event's anniversary of an earlier one, derived from the dates, with the claims that
// assert the same link.
export const ANNIVERSARY_FIELDS = gql`
  fragment AnniversaryFields on Anniversary {
    years
    anniversaryOn
    derived
    rule
    basis
    event { id title occurredOn }
    assertedBy { id assertedBy { id name } source { id title } }
  }
`;
