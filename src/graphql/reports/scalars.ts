import { GraphQLScalarType, Kind } from 'graphql';
import { BigIntResolver, LocalDateResolver, SafeIntResolver } from 'graphql-scalars';
import { builder } from '../builder.js';

/** Token and request counts: whole numbers beyond GraphQL Int's 32 bits (graphql-scalars). */
export const SafeInt = builder.addScalarType(
  'SafeInt',
  new GraphQLScalarType({
    ...SafeIntResolver.toConfig(),
    description:
      'A whole number up to 2^53 − 1 (JavaScript’s safe integers), for token and request counts that can outgrow a 32-bit Int.',
  }),
);

const bigIntConfig = BigIntResolver.toConfig();

/** A whole number of any size: a JSON number while it is safe, a string of digits beyond. */
function serializeBigInt(value: unknown): number | string {
  const big = typeof value === 'bigint' ? value : BigInt(bigIntConfig.serialize(value) as string);
  const safe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(big) : big.toString();
}

/**
 * Counts the gateway sums itself, which can pass 2^53 where SafeInt would fail (graphql-scalars'
 * BigInt, written without its JSON patch). The builder's scalar map does not list it, so it is
 * registered through SafeInt's entry: resolvers return a bigint, typed as SafeInt's number.
 */
export const BigIntScalar = builder.addScalarType(
  'BigInt' as 'SafeInt',
  new GraphQLScalarType({
    ...bigIntConfig,
    name: 'BigInt',
    description:
      'A whole number of any size, for counts that can pass 2^53: a JSON number while it is within ±(2^53 − 1), a string of digits beyond, so that no digit is lost.',
    serialize: serializeBigInt,
  }),
);

/** A bigint for a BigInt field (see BigIntScalar). */
export const asBigIntOutput = (value: bigint): number => value as unknown as number;

/** A calendar day, YYYY-MM-DD, as the Claude Code report takes it (graphql-scalars LocalDate). */
export const LocalDate = builder.addScalarType(
  'LocalDate',
  new GraphQLScalarType({
    ...LocalDateResolver.toConfig(),
    description: 'A calendar day in YYYY-MM-DD form, such as 2026-08-10 (a UTC day for reports).',
  }),
);

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

function checkDecimal(value: unknown): string {
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return decimalFromNumber(value);
  throw new TypeError(`Decimal cannot represent ${JSON.stringify(value)}.`);
}

/**
 * An exact decimal as a string. Money is never a Float: "123.78912" stays exactly that, so no
 * cent (or fraction of one) is lost on the way to the client.
 */
export const Decimal = builder.addScalarType(
  'Decimal',
  new GraphQLScalarType({
    name: 'Decimal',
    description:
      'An exact decimal number as a string, such as "123.45" or "0.000125": digits, an optional leading minus and an optional fraction, never exponent notation. Used for money so that no cent is lost to floating point.',
    serialize: checkDecimal,
    parseValue: checkDecimal,
    parseLiteral(ast) {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) {
        return checkDecimal(ast.kind === Kind.STRING ? ast.value : ast.value);
      }
      throw new TypeError('Decimal must be given as a string.');
    },
  }),
);

/** A finite number as a plain decimal string, without exponent notation. */
export function decimalFromNumber(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value
    .toFixed(20)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** Moves the decimal point of a decimal string `places` to the left, exactly. */
export function shiftDecimalLeft(value: string, places: number): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  const scale = fraction.length + places;
  const padded = digits.padStart(scale + 1, '0');
  const intPart = padded.slice(0, padded.length - scale).replace(/^0+(?=\d)/, '');
  const fracPart = padded.slice(padded.length - scale).replace(/0+$/, '');
  const result = fracPart ? `${intPart}.${fracPart}` : intPart;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/** The exact sum of decimal strings. */
export function addDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((value) => value.split('.')[1]?.length ?? 0));
  let total = 0n;
  for (const value of values) {
    const negative = value.startsWith('-');
    const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
    const units = BigInt(whole + fraction.padEnd(scale, '0'));
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString();
  return shiftDecimalLeft(`${negative ? '-' : ''}${digits}`, scale);
}

/** Digits after the decimal point of a currency's major unit (2 for USD, 0 for JPY). */
export function minorUnitDigits(currency: string): number {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    return format.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export interface MoneyShape {
  /** Exact decimal string in the currency's minor unit, as the Admin API reports it. */
  minorUnits: string;
  currency: string;
}

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description:
    'An amount of money, exact: both forms are decimal strings (never floats). The Admin API reports amounts in the currency’s minor unit (cents for USD), possibly with a fraction of a cent.',
  fields: (t) => ({
    amount: t.field({
      type: Decimal,
      description:
        'The amount in the currency’s major unit (US dollars for USD), exact and unrounded: "123.78912" cents is "1.2378912".',
      resolve: (money) => shiftDecimalLeft(money.minorUnits, minorUnitDigits(money.currency)),
    }),
    minorUnits: t.field({
      type: Decimal,
      description:
        'The amount in the currency’s minor unit (cents for USD), exactly as the Admin API reports it, such as "123.78912".',
      resolve: (money) => money.minorUnits,
    }),
    currency: t.exposeString('currency', {
      description: 'The ISO 4217 currency code; currently always "USD".',
    }),
  }),
});
