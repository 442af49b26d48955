/**
 * @module fraction — thresholds as exact fractions of voting power or weight, compared in bigint.
 */
import { asObject, asSafeUint } from '../codec/read';

export interface Fraction {
  numerator: number;
  denominator: number;
}

export const TWO_THIRDS: Fraction = { numerator: 2, denominator: 3 };
export const ONE_HALF: Fraction = { numerator: 1, denominator: 2 };

/** part > fraction × total */
export function exceeds(part: bigint | number, total: bigint | number, f: Fraction): boolean {
  return BigInt(part) * BigInt(f.denominator) > BigInt(total) * BigInt(f.numerator);
}

/** part ≥ fraction × total */
export function reaches(part: bigint | number, total: bigint | number, f: Fraction): boolean {
  return BigInt(part) * BigInt(f.denominator) >= BigInt(total) * BigInt(f.numerator);
}

export function readFraction(value: unknown, path: string): Fraction {
  const v = asObject(value, path, ['numerator', 'denominator']);
  return {
    numerator: asSafeUint(v.numerator, `${path}.numerator`),
    denominator: asSafeUint(v.denominator, `${path}.denominator`),
  };
}

/** "2/3" */
export function formatFraction(f: Fraction): string {
  return `${f.numerator}/${f.denominator}`;
}
