import { createClient, type Client } from 'graphql-ws';
import { graphql } from './graphql.js';

/**
 * The live page: changes to the organization as they happen, over `organizationChanges`. In an app
 * it is `useSubscription({ subscription: LiveChangesSubscription, variables, onNext })` from
 * react-relay (or relay-runtime's `requestSubscription`); Relay then calls the network layer's
 * `subscribe` below, and an updated node (it has an `id`) is written into the store, so that every
 * component showing it re-renders without a refetch. `lastEventId` resumes after a reconnection.
 */
export const LiveChangesSubscription = graphql`
  subscription LiveChangesSubscription($kinds: [ResourceKind!], $lastEventId: String) {
    organizationChanges(filter: { kinds: $kinds }, lastEventId: $lastEventId) {
      id
      type
      kind
      nodeId
      changedFields
      at
      node {
        id
        ... on Workspace {
          name
        }
        ... on Invite {
          email
          inviteStatus: status
        }
        ... on ApiKey {
          name
          keyStatus: status
        }
        ... on ServiceAccount {
          name
          isArchived
        }
      }
    }
  }
`;

/** What Relay hands the network layer for an operation (`RequestParameters`, in part). */
export interface RelayRequest {
  name: string;
  text: string | null | undefined;
  id?: string | null | undefined;
}

/** One result of a subscription, as Relay's network layer passes it on. */
export interface RelayResponse {
  data?: unknown;
  errors?: readonly unknown[];
}

/** Relay's `Sink`/`Observer`: what `subscribe` reports to. */
export interface RelaySink {
  next(response: RelayResponse): void;
  error(error: unknown): void;
  complete(): void;
}

/** A `Subscribable` (relay-runtime accepts one from `subscribe` and makes it an Observable). */
export interface RelaySubscribable {
  subscribe(sink: RelaySink): { unsubscribe(): void };
}

/**
 * The network layer's `subscribe` (`Network.create(fetchQuery, subscribe)`) over graphql-ws, on the
 * gateway's own path: `ws://host/graphql`. The gateway authenticates the socket with
 * `authorization` or `x-api-key` in the `connection_init` payload (a browser cannot set headers
 * on an upgrade), and runs each operation through its whole HTTP pipeline. One socket carries
 * every subscription of the page.
 */
export function createLiveSubscribe(
  url: string,
  connectionParams: { authorization?: string; 'x-api-key'?: string } = {},
  webSocketImpl?: unknown,
): {
  subscribe: (request: RelayRequest, variables: Record<string, unknown>) => RelaySubscribable;
  client: Client;
} {
  const client = createClient({
    url,
    connectionParams,
    ...(webSocketImpl ? { webSocketImpl } : {}),
  });
  return {
    client,
    subscribe: (request, variables) => ({
      subscribe: (sink) => {
        if (!request.text) {
          sink.error(
            new Error(`${request.name}: persisted subscriptions are not sent over WebSocket`),
          );
          return { unsubscribe: () => {} };
        }
        const dispose = client.subscribe(
          { operationName: request.name, query: request.text, variables },
          {
            next: (result) => sink.next(result as RelayResponse),
            error: (error) => sink.error(error),
            complete: () => sink.complete(),
          },
        );
        return { unsubscribe: dispose };
      },
    }),
  };
}

/** One change as the subscription selects it. */
export interface LiveChange {
  id: string;
  type: 'CREATED' | 'UPDATED' | 'REMOVED' | 'RESYNC';
  kind: string | null;
  nodeId: string | null;
  changedFields: readonly string[] | null;
  at: string;
  node: { id: string; [field: string]: unknown } | null;
}

/**
 * The page's state, kept by `onNext`: the last changes (newest first, at most `keep`) and the id
 * to resume from. A RESYNC tells the page to refetch what it shows (Relay: `refetch` or a
 * `fetchQuery` with `network-only`); a REMOVED names the record to delete from the store
 * (`store.delete(nodeId)` in an `updater`).
 */
export function liveChangesReducer(keep = 50) {
  let changes: LiveChange[] = [];
  let lastEventId: string | null = null;
  return {
    onNext(response: { organizationChanges: LiveChange } | null | undefined): {
      refetch: boolean;
      removed: string | null;
    } {
      const change = response?.organizationChanges;
      if (!change) return { refetch: false, removed: null };
      lastEventId = change.id;
      changes = [change, ...changes].slice(0, keep);
      return {
        refetch: change.type === 'RESYNC',
        removed: change.type === 'REMOVED' ? change.nodeId : null,
      };
    },
    /** The variables to subscribe again with after a disconnection. */
    resumeVariables(kinds: readonly string[] | null = null) {
      return { kinds, lastEventId };
    },
    get changes(): readonly LiveChange[] {
      return changes;
    },
  };
}
