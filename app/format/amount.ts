// Amounts as people read and type them: "12.50 COIN", never a raw integer of smallest units.
export class InvalidAmountError extends Error {
  override name = 'InvalidAmountError' as const;
}

/** 1250n with 2 decimals → "12.50". Grouped thousands with a thin space. */
export function formatAmount(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, '0');
  const whole = digits
    .slice(0, digits.length - decimals)
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '−' : ''}${whole}${fraction}`;
}

/** "12.5" with 2 decimals → 1250n. Anything else is an InvalidAmountError saying why. */
export function parseAmount(text: string, decimals: number): bigint {
  const t = text
    .trim()
    .replace(/[\s\u202f_]/g, '')
    .replace(',', '.');
  if (t === '') throw new InvalidAmountError('Enter an amount.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!match) throw new InvalidAmountError('An amount is a number such as 12.50.');
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > decimals) {
    throw new InvalidAmountError(
      decimals === 0
        ? 'This asset has no fractions: enter a whole number.'
        : `This asset has at most ${decimals} digits after the point.`,
    );
  }
  const value = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (value === 0n) throw new InvalidAmountError('The amount must be more than zero.');
  return value;
}
