/**
 * @generated SignedSource<<bfb86b6891eace31415a5f181b70e515>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ServiceAccountOrganizationRole = "ADMIN" | "DEVELOPER" | "UNKNOWN" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type ServiceAccountList_organization$data = {
  readonly serviceAccounts: {
    readonly nodes: ReadonlyArray<{
      readonly createdAt: string;
      readonly description: string | null | undefined;
      readonly id: string;
      readonly isArchived: boolean;
      readonly name: string;
      readonly organizationRole: ServiceAccountOrganizationRole;
    }>;
    readonly pageInfo: {
      readonly hasNextPage: boolean;
    };
  } | null | undefined;
  readonly " $fragmentType": "ServiceAccountList_organization";
};
export type ServiceAccountList_organization$key = {
  readonly " $data"?: ServiceAccountList_organization$data;
  readonly " $fragmentSpreads": FragmentRefs<"ServiceAccountList_organization">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [
    {
      "defaultValue": 10,
      "kind": "LocalArgument",
      "name": "count"
    },
    {
      "defaultValue": false,
      "kind": "LocalArgument",
      "name": "includeArchived"
    }
  ],
  "kind": "Fragment",
  "metadata": null,
  "name": "ServiceAccountList_organization",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Variable",
          "name": "first",
          "variableName": "count"
        },
        {
          "kind": "Variable",
          "name": "includeArchived",
          "variableName": "includeArchived"
        }
      ],
      "concreteType": "ServiceAccountConnection",
      "kind": "LinkedField",
      "name": "serviceAccounts",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "concreteType": "ServiceAccount",
          "kind": "LinkedField",
          "name": "nodes",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "id",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "name",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "description",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "organizationRole",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "isArchived",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "createdAt",
              "storageKey": null
            }
          ],
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "concreteType": "PageInfo",
          "kind": "LinkedField",
          "name": "pageInfo",
          "plural": false,
          "selections": [
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "hasNextPage",
              "storageKey": null
            }
          ],
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Organization",
  "abstractKey": null
};

(node as any).hash = "bf4b8393770956f36f44027c36987edf";

export default node;
