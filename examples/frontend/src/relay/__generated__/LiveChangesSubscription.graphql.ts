/**
 * @generated SignedSource<<f8f36034205060dfa10a0235d46d9c47>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ApiKeyStatus = "ACTIVE" | "ARCHIVED" | "EXPIRED" | "INACTIVE" | "UNKNOWN" | "%future added value";
export type ChangeType = "CREATED" | "REMOVED" | "RESYNC" | "UPDATED" | "%future added value";
export type InviteStatus = "ACCEPTED" | "DELETED" | "EXPIRED" | "PENDING" | "UNKNOWN" | "%future added value";
export type ResourceKind = "API_KEY" | "CLAUDE_TAG_BUNDLE" | "CLAUDE_TAG_SLACK_WORKSPACE" | "EXTERNAL_KEY" | "EXTERNAL_STORAGE" | "FEDERATION_ISSUER" | "FEDERATION_RULE" | "INVITE" | "PLUGIN" | "PLUGIN_MARKETPLACE" | "RBAC_GROUP" | "RBAC_ROLE" | "SERVICE_ACCOUNT" | "SPEND_LIMIT" | "TELEMETRY_DESTINATION" | "USER" | "WEBHOOK" | "WORKSPACE" | "WORKSPACE_MEMBER" | "%future added value";
export type LiveChangesSubscription$variables = {
  kinds?: ReadonlyArray<ResourceKind> | null | undefined;
  lastEventId?: string | null | undefined;
};
export type LiveChangesSubscription$data = {
  readonly organizationChanges: {
    readonly at: string;
    readonly changedFields: ReadonlyArray<string> | null | undefined;
    readonly id: string;
    readonly kind: ResourceKind | null | undefined;
    readonly node: {
      readonly email?: string;
      readonly id: string;
      readonly inviteStatus?: InviteStatus;
      readonly isArchived?: boolean;
      readonly keyStatus?: ApiKeyStatus;
      readonly name?: string;
    } | null | undefined;
    readonly nodeId: string | null | undefined;
    readonly type: ChangeType;
  };
};
export type LiveChangesSubscription = {
  response: LiveChangesSubscription$data;
  variables: LiveChangesSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "kinds"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "lastEventId"
  }
],
v1 = [
  {
    "fields": [
      {
        "kind": "Variable",
        "name": "kinds",
        "variableName": "kinds"
      }
    ],
    "kind": "ObjectValue",
    "name": "filter"
  },
  {
    "kind": "Variable",
    "name": "lastEventId",
    "variableName": "lastEventId"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "type",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "kind",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "nodeId",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "changedFields",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "at",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v9 = {
  "kind": "InlineFragment",
  "selections": [
    (v8/*:: as any*/)
  ],
  "type": "Workspace",
  "abstractKey": null
},
v10 = {
  "kind": "InlineFragment",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "email",
      "storageKey": null
    },
    {
      "alias": "inviteStatus",
      "args": null,
      "kind": "ScalarField",
      "name": "status",
      "storageKey": null
    }
  ],
  "type": "Invite",
  "abstractKey": null
},
v11 = {
  "kind": "InlineFragment",
  "selections": [
    (v8/*:: as any*/),
    {
      "alias": "keyStatus",
      "args": null,
      "kind": "ScalarField",
      "name": "status",
      "storageKey": null
    }
  ],
  "type": "ApiKey",
  "abstractKey": null
},
v12 = {
  "kind": "InlineFragment",
  "selections": [
    (v8/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "isArchived",
      "storageKey": null
    }
  ],
  "type": "ServiceAccount",
  "abstractKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "LiveChangesSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "OrganizationChange",
        "kind": "LinkedField",
        "name": "organizationChanges",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          (v4/*:: as any*/),
          (v5/*:: as any*/),
          (v6/*:: as any*/),
          (v7/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": null,
            "kind": "LinkedField",
            "name": "node",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              (v9/*:: as any*/),
              (v10/*:: as any*/),
              (v11/*:: as any*/),
              (v12/*:: as any*/)
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "LiveChangesSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "OrganizationChange",
        "kind": "LinkedField",
        "name": "organizationChanges",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          (v4/*:: as any*/),
          (v5/*:: as any*/),
          (v6/*:: as any*/),
          (v7/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": null,
            "kind": "LinkedField",
            "name": "node",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "__typename",
                "storageKey": null
              },
              (v2/*:: as any*/),
              (v9/*:: as any*/),
              (v10/*:: as any*/),
              (v11/*:: as any*/),
              (v12/*:: as any*/)
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "efdc54a099752e87a926fd7c4e59aaf0",
    "id": null,
    "metadata": {},
    "name": "LiveChangesSubscription",
    "operationKind": "subscription",
    "text": "subscription LiveChangesSubscription(\n  $kinds: [ResourceKind!]\n  $lastEventId: String\n) {\n  organizationChanges(filter: {kinds: $kinds}, lastEventId: $lastEventId) {\n    id\n    type\n    kind\n    nodeId\n    changedFields\n    at\n    node {\n      __typename\n      id\n      ... on Workspace {\n        name\n      }\n      ... on Invite {\n        email\n        inviteStatus: status\n      }\n      ... on ApiKey {\n        name\n        keyStatus: status\n      }\n      ... on ServiceAccount {\n        name\n        isArchived\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "f30fc613e8fddb56ba8ff96ba19466ba";

export default node;
