// Proposer choice (pure): who proposes at (height, round), in proportion to power.
import { describe, expect, it } from 'vitest';
import { proposerCycle, proposerOf } from '../../src/consensus/proposer';
import { sortValidators, type Validator, type ValidatorSet } from '../../src/chain/validatorSet';

/** A key whose first byte orders it among the others; the rest is filler. */
const key = (first: number): Uint8Array => new Uint8Array(32).fill(7).fill(first, 0, 1);

const listed = (...entries: [number, number][]): ValidatorSet => ({
  validators: entries.map(([first, power]): Validator => ({
    publicKey: key(first),
    power,
    name: '',
  })),
  threshold: { numerator: 2, denominator: 3 },
});
/** A set as the chain holds it: sorted by key. */
const setOf = (...entries: [number, number][]): ValidatorSet => {
  const set = listed(...entries);
  return { ...set, validators: sortValidators(set.validators) };
};

/** Each slot of the cycle by the first byte of its proposer's key. */
const firsts = (cycle: readonly Validator[]): number[] => cycle.map((v) => v.publicKey[0]!);

const count = (cycle: readonly Validator[], first: number): number =>
  firsts(cycle).filter((f) => f === first).length;

describe('proposer choice', () => {
  it('interleaves proposers by power: 3 and 1 give A A B A', () => {
    // Priorities step by step: A 3 > B 1 → A; A 2 = B 2, tie to the smaller key A; then B; A.
    expect(firsts(proposerCycle(setOf([1, 3], [2, 1])))).toEqual([1, 1, 2, 1]);
  });

  it('breaks a tie toward the smaller key, whichever holds the power', () => {
    // B (key 2) holds the 3: B; tie at 2 each goes to A, the smaller key; B; B.
    expect(firsts(proposerCycle(setOf([1, 1], [2, 3])))).toEqual([2, 1, 2, 2]);
    // Equal powers: the smaller key first.
    expect(firsts(proposerCycle(setOf([5, 1], [4, 1])))).toEqual([4, 5]);
  });

  it('does not depend on the order a set lists its validators in', () => {
    expect(firsts(proposerCycle(listed([5, 1], [4, 1])))).toEqual([4, 5]);
    expect(firsts(proposerCycle(listed([2, 1], [1, 3])))).toEqual([1, 1, 2, 1]);
  });

  it('gives each validator as many slots as its power when the total is small', () => {
    const cycle = proposerCycle(setOf([1, 5], [2, 3], [3, 2]));
    expect(cycle).toHaveLength(10);
    expect([count(cycle, 1), count(cycle, 2), count(cycle, 3)]).toEqual([5, 3, 2]);
  });

  it('scales a large total down to at most 10,000 slots, keeping the proportions', () => {
    const cycle = proposerCycle(setOf([1, 30_000], [2, 10_000]));
    expect(cycle).toHaveLength(10_000);
    expect([count(cycle, 1), count(cycle, 2)]).toEqual([7_500, 2_500]);
  });

  it('keeps at least one slot for a validator whose scaled power rounds to zero', () => {
    const cycle = proposerCycle(setOf([1, 1], [2, 100_000]));
    expect(count(cycle, 1)).toBe(1);
    expect(count(cycle, 2)).toBe(9_999);
  });

  it('indexes the cycle by height plus round, wrapping at its end', () => {
    const set = setOf([1, 3], [2, 1]); // cycle A A B A
    expect(proposerOf(set, 2, 0).publicKey[0]).toBe(2);
    expect(proposerOf(set, 1, 1).publicKey[0]).toBe(2); // height + round, not height − round
    expect(proposerOf(set, 0, 3).publicKey[0]).toBe(1);
    expect(proposerOf(set, 4, 2).publicKey[0]).toBe(2); // 6 mod 4
  });

  it('gives the same cycle for an equal set built again, and a new one when a power changes', () => {
    const first = firsts(proposerCycle(setOf([1, 3], [2, 1])));
    expect(firsts(proposerCycle(setOf([1, 3], [2, 1])))).toEqual(first);
    expect(firsts(proposerCycle(setOf([1, 1], [2, 3])))).not.toEqual(first);
  });
});
