// A second, small graph for the federation and stitching tests: an HR directory whose employees
// point at members of the admin graph by their user id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { FIXTURE_IDS } from '../../src/sandbox/index.js';

export interface Employee {
  id: string;
  name: string;
  department: string;
  /** The admin graph's user id; null for someone without an organization account. */
  userId: string | null;
}

export const EMPLOYEES: readonly Employee[] = [
  { id: 'emp-1', name: 'Maria O.', department: 'Platform', userId: FIXTURE_IDS.adminUser },
  { id: 'emp-2', name: 'Dev R.', department: 'Research', userId: FIXTURE_IDS.developerUser },
  { id: 'emp-3', name: 'Bill F.', department: 'Finance', userId: FIXTURE_IDS.billingUser },
  { id: 'emp-4', name: 'Uma S.', department: 'Support', userId: FIXTURE_IDS.userUser },
  { id: 'emp-5', name: 'Casey C.', department: 'Facilities', userId: null },
];

const employee = (id: string) => EMPLOYEES.find((candidate) => candidate.id === id) ?? null;
const employeeOfUser = (userId: string) =>
  EMPLOYEES.find((candidate) => candidate.userId === userId) ?? null;

const EMPLOYEE_FIELDS = /* GraphQL */ `
  "The employee's id in the HR directory."
  id: ID!
  "The employee's name as HR knows it."
  name: String!
  "The department the employee works in."
  department: String!
  "The employee's organization account in the admin graph; null when they have none."
  user: User
`;

/** The HR directory as an Apollo Federation v2 subgraph: User is the admin graph's entity. */
export function hrSubgraphSchema(): GraphQLSchema {
  const typeDefs = parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

    "A person in the HR directory."
    type Employee @key(fields: "id") {
      ${EMPLOYEE_FIELDS}
    }

    "An organization member, owned by the admin graph; HR adds the employee record."
    type User @key(fields: "id") {
      "The admin graph's user id."
      id: ID!
      "This member's HR record; null when HR has none."
      employee: Employee
    }

    type Query {
      "Everyone in the HR directory."
      employees: [Employee!]!
      "One employee by HR id."
      employee(id: ID!): Employee
    }
  `);
  return buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        employees: () => EMPLOYEES,
        employee: (_root: unknown, args: { id: string }) => employee(args.id),
      },
      Employee: {
        __resolveReference: (reference: { id: string }) => employee(reference.id),
        user: (parent: Employee) => (parent.userId ? { id: parent.userId } : null),
      },
      User: {
        employee: (user: { id: string }) => employeeOfUser(user.id),
      },
    },
  });
}

/** The HR directory as a plain schema, for stitching: `hrUsers` resolves users HR knows of. */
export function hrStitchingSchema(): GraphQLSchema {
  return createSchema({
    typeDefs: /* GraphQL */ `
      "A person in the HR directory."
      type Employee {
        ${EMPLOYEE_FIELDS}
      }

      "An organization member as HR sees it: the id, and the employee record."
      type User {
        "The admin graph's user id."
        id: ID!
        "This member's HR record; null when HR has none."
        employee: Employee
      }

      type Query {
        "Everyone in the HR directory."
        employees: [Employee!]!
        "Users by their admin graph ids, in the same order (for type merging)."
        hrUsers(ids: [ID!]!): [User]!
      }
    `,
    resolvers: {
      Query: {
        employees: () => EMPLOYEES,
        hrUsers: (_root: unknown, args: { ids: string[] }) => args.ids.map((id) => ({ id })),
      },
      Employee: {
        user: (parent: Employee) => (parent.userId ? { id: parent.userId } : null),
      },
      User: {
        employee: (user: { id: string }) => employeeOfUser(user.id),
      },
    },
  });
}

export interface RunningGraph {
  url: string;
  /** The GraphQL documents this server was sent, in order. */
  received: string[];
  close(): Promise<void>;
}

/** Serves a schema with graphql-yoga on a loopback port, recording what it is asked. */
export async function serveOnLoopback(schema: GraphQLSchema): Promise<RunningGraph> {
  const received: string[] = [];
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    logging: false,
    plugins: [
      {
        onParams({ params }) {
          if (params.query) received.push(params.query);
        },
      },
    ],
  });
  const server: Server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
