import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars';
import { builder } from './builder.js';

const dateTimeConfig = DateTimeResolver.toConfig();

/**
 * graphql-scalars' DateTime, except that a valid RFC 3339 string from the Admin API is passed
 * through as it came: its microseconds survive instead of being cut to milliseconds.
 */
export const DateTime = builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...dateTimeConfig,
    description:
      'An instant as an RFC 3339 string in UTC (for example 2025-03-04T17:22:10.512384Z), as the Admin API gives it.',
    serialize(value) {
      if (typeof value === 'string') {
        dateTimeConfig.serialize(value); // throws on a string that is not a valid date-time
        return value;
      }
      return dateTimeConfig.serialize(value);
    },
  }),
);

export const EmailAddress = builder.addScalarType('EmailAddress', EmailAddressResolver);
