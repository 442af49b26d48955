// A chain's trust model in plain words: how many validators must agree, and how many may be
// offline or dishonest before it stops or could be fooled. Blocks need signers whose power
// exceeds threshold × total (consensus/verifyCommit); two such quorums overlap in more than
// (2·threshold − 1) × total, so the chain stays safe while dishonest power is at most that.
import type { Fraction } from '../../src/chain/fraction';

export interface ThresholdWords {
  /** "3 of 4 must agree" */
  agree: string;
  /** "keeps working with 1 device offline or dishonest" */
  tolerance: string;
}

const devices = (n: number): string => (n === 1 ? '1 device' : `${n} devices`);

/** How many of `powers`, taken from the largest, can go while the rest still exceed f × total. */
function offlineTolerance(powers: number[], f: Fraction): number {
  const total = powers.reduce((a, b) => a + b, 0);
  const sorted = [...powers].sort((a, b) => b - a);
  let left = total;
  let gone = 0;
  for (const p of sorted) {
    left -= p;
    if (left * f.denominator <= total * f.numerator) break;
    gone += 1;
  }
  return gone;
}

/** How many, taken from the largest, may be dishonest while any two quorums share an honest one. */
function dishonestTolerance(powers: number[], f: Fraction): number {
  const total = powers.reduce((a, b) => a + b, 0);
  // dishonest × den ≤ (2·num − den) × total
  const limit = (2 * f.numerator - f.denominator) * total;
  const sorted = [...powers].sort((a, b) => b - a);
  let power = 0;
  let count = 0;
  for (const p of sorted) {
    power += p;
    if (power * f.denominator > limit) break;
    count += 1;
  }
  return count;
}

export function describeThreshold(powers: number[], f: Fraction): ThresholdWords {
  const n = powers.length;
  const offline = offlineTolerance(powers, f);
  const dishonest = dishonestTolerance(powers, f);
  const equal = powers.every((p) => p === powers[0]);
  const agree = equal
    ? `${n - offline} of ${n} must agree`
    : `validators holding more than ${f.numerator}/${f.denominator} of the voting power must agree`;
  let tolerance: string;
  if (offline === 0) {
    tolerance = n === 1 ? 'stops while that device is offline' : 'stops if any device is offline';
  } else if (offline === dishonest) {
    tolerance = `keeps working with ${devices(offline)} offline or dishonest`;
  } else {
    tolerance =
      `keeps working with ${devices(offline)} offline` +
      (dishonest === 0
        ? '; one dishonest device could fool it'
        : `; stays honest with up to ${devices(dishonest)} dishonest`);
  }
  return { agree, tolerance };
}
