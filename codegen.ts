import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents generated from the committed client schema: one output for the operations the
// tests send (test/operations/*.graphql), one for the sample frontend's graphql-request operations
// (examples/frontend/src/operations/*.graphql). Each output reads only its own documents.
const typedDocuments = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    emitLegacyCommonJSImports: false,
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: {
      DateTime: 'string',
      EmailAddress: 'string',
      Decimal: 'string',
      SafeInt: 'number',
      LocalDate: 'string',
    },
  },
} as const;

const config: CodegenConfig = {
  schema: './schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    './test/generated/': {
      ...typedDocuments,
      documents: ['test/operations/**/*.graphql'],
    },
    // The frontend's output also writes persisted-documents.json (sha256 → document): the
    // allow-list to give the gateway as PERSISTED_OPERATIONS_FILE in production.
    './examples/frontend/src/generated/': {
      ...typedDocuments,
      presetConfig: {
        ...typedDocuments.presetConfig,
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      documents: ['examples/frontend/src/operations/**/*.graphql'],
    },
  },
};

export default config;
