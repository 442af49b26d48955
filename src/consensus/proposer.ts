/**
 * @module proposer — who proposes at (height, round), in proportion to voting power. One cycle
 * of smooth weighted round robin (as CometBFT's proposer priority: each step every validator
 * gains its power, the highest proposes and pays back the total) is laid out once per set, and
 * (height + round) indexes it. Pure: every node computes the same proposer with no shared state.
 * DIFF FROM SPEC: CometBFT carries priorities across heights in state; a fixed cycle per set
 * gives the same proportions without that state, at the price of restarting the cycle when the
 * set changes.
 */
import { bytesKey, compareBytes } from '../crypto/bytes';
import type { Validator, ValidatorSet } from '../chain/validatorSet';

/** Powers are scaled down (each keeping at least 1) so one cycle has at most this many slots. */
const MAX_CYCLE = 10_000;

const cycles = new Map<string, Validator[]>();
/** The same cycle by set object: sets are never mutated, and most lookups reuse one object. */
const cyclesBySet = new WeakMap<ValidatorSet, Validator[]>();

function cycleKey(set: ValidatorSet): string {
  return set.validators.map((v) => `${bytesKey(v.publicKey)}:${v.power}`).join('|');
}

export function proposerCycle(set: ValidatorSet): Validator[] {
  const known = cyclesBySet.get(set);
  if (known) return known;
  const key = cycleKey(set);
  const cached = cycles.get(key);
  if (cached) {
    cyclesBySet.set(set, cached);
    return cached;
  }
  const total = set.validators.reduce((s, v) => s + v.power, 0);
  const scale = total > MAX_CYCLE ? MAX_CYCLE / total : 1;
  const weights = set.validators.map((v) => Math.max(1, Math.floor(v.power * scale)));
  const length = weights.reduce((s, w) => s + w, 0);
  const priority = weights.map(() => 0);
  const cycle: Validator[] = [];
  for (let step = 0; step < length; step++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      priority[i]! += weights[i]!;
      const v = set.validators[i]!;
      const b = set.validators[best]!;
      // Ties go to the smaller key, so the order never depends on iteration details.
      if (
        priority[i]! > priority[best]! ||
        (priority[i] === priority[best] && compareBytes(v.publicKey, b.publicKey) < 0)
      ) {
        best = i;
      }
    }
    priority[best]! -= length;
    cycle.push(set.validators[best]!);
  }
  if (cycles.size > 64) cycles.clear();
  cycles.set(key, cycle);
  cyclesBySet.set(set, cycle);
  return cycle;
}

export function proposerOf(set: ValidatorSet, height: number, round: number): Validator {
  const cycle = proposerCycle(set);
  return cycle[(height + round) % cycle.length]!;
}
