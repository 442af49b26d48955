// What the app says in words and numbers (pure): the trust model of a validator set, and
// amounts as people read and type them.
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../app/format/amount';
import { describeThreshold } from '../../app/format/describeThreshold';

const TWO_THIRDS = { numerator: 2, denominator: 3 };

describe('trust model in plain words (pure)', () => {
  it('says how many must agree and how many may fail, for equal power', () => {
    expect(describeThreshold([1, 1, 1, 1], TWO_THIRDS)).toEqual({
      agree: '3 of 4 must agree',
      tolerance: 'keeps working with 1 device offline or dishonest',
    });
    expect(describeThreshold([1], TWO_THIRDS)).toEqual({
      agree: '1 of 1 must agree',
      tolerance: 'stops while that device is offline',
    });
    expect(describeThreshold([1, 1, 1], TWO_THIRDS).tolerance).toBe(
      'stops if any device is offline',
    );
    expect(
      describeThreshold(
        Array.from({ length: 7 }, () => 1),
        TWO_THIRDS,
      ),
    ).toEqual({
      agree: '5 of 7 must agree',
      tolerance: 'keeps working with 2 devices offline or dishonest',
    });
  });

  it('tells offline from dishonest when a looser threshold makes them differ', () => {
    // More than half of 4: 3 must agree, 1 may be offline, but one liar could split it.
    expect(describeThreshold([1, 1, 1, 1], { numerator: 1, denominator: 2 })).toEqual({
      agree: '3 of 4 must agree',
      tolerance: 'keeps working with 1 device offline; one dishonest device could fool it',
    });
  });

  it('speaks of voting power when validators weigh differently', () => {
    expect(describeThreshold([3, 1, 1], TWO_THIRDS).agree).toBe(
      'validators holding more than 2/3 of the voting power must agree',
    );
  });
});

describe('amounts (pure)', () => {
  it('formats smallest units with the asset decimals and grouped thousands', () => {
    expect(formatAmount(1250n, 2)).toBe('12.50');
    expect(formatAmount(100_000_000n, 2)).toBe('1\u202f000\u202f000.00');
    expect(formatAmount(5n, 0)).toBe('5');
    expect(formatAmount(7n, 3)).toBe('0.007');
  });

  it('reads what a person types, and says why when it cannot', () => {
    expect(parseAmount('12.5', 2)).toBe(1250n);
    expect(parseAmount(' 1 000,25 ', 2)).toBe(100_025n);
    expect(parseAmount('3', 0)).toBe(3n);
    for (const [text, decimals, why] of [
      ['', 2, 'Enter an amount.'],
      ['abc', 2, 'An amount is a number such as 12.50.'],
      ['-1', 2, 'An amount is a number such as 12.50.'],
      ['1.234', 2, 'This asset has at most 2 digits after the point.'],
      ['1.5', 0, 'This asset has no fractions: enter a whole number.'],
      ['0.00', 2, 'The amount must be more than zero.'],
    ] as const)
      expect(() => parseAmount(text, decimals), text).toThrow(why);
  });
});
