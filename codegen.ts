import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the operations the tests send (test/operations/*.graphql), generated from
// the committed client schema.
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', EmailAddress: 'string' },
      },
    },
  },
};

export default config;
