import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars';
import { builder } from '../builder.js';

/*
 * Output scalars hand on what the Admin API returns as it is (GRAPHQL-CONTRACT.md: a scalar never
 * turns an upstream value into an error that nulls its edge); strict parsing stays for inputs.
 * The API has sent timestamps with microseconds, with offsets, and (older docs) the Claude Code
 * day as a bare YYYY-MM-DD; addresses may be internationalized or quoted, which graphql-scalars'
 * EmailAddress refuses.
 */

const dateTimeConfig = DateTimeResolver.toConfig();

/**
 * graphql-scalars' DateTime for inputs. On output a string from the Admin API is passed through
 * exactly as it came (its microseconds, offset or form survive); a Date the gateway made itself
 * is written as RFC 3339 in UTC.
 */
export const DateTime = builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...dateTimeConfig,
    description:
      'An instant as an RFC 3339 string (for example 2025-03-04T17:22:10.512384Z). Outputs are exactly what the Admin API returned, usually UTC with microseconds; inputs must be valid RFC 3339 date-times.',
    serialize(value) {
      if (typeof value === 'string') return value;
      return dateTimeConfig.serialize(value);
    },
  }),
);

const emailConfig = EmailAddressResolver.toConfig();

/** graphql-scalars' EmailAddress for inputs; on output the Admin API's address, unchanged. */
export const EmailAddress = builder.addScalarType(
  'EmailAddress',
  new GraphQLScalarType({
    ...emailConfig,
    description:
      'An email address. Outputs are exactly what the Admin API returned (internationalized or quoted addresses included); inputs must be valid addresses (RFC 5322).',
    serialize(value) {
      if (typeof value === 'string') return value;
      return emailConfig.serialize(value);
    },
  }),
);
