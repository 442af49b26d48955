// Deliberately broken engine variants, used only to show the simulator catches them.
import type { PrevoteRule } from '../../src/consensus/createConsensusEngine';

/** Prevotes for any valid proposal, ignoring the lock (lines 23 and 29 without their lock test). */
export const ignoreLockRule: PrevoteRule = ({ valid }) => valid;

export const brokenVariants: Record<string, PrevoteRule> = { 'no-lock': ignoreLockRule };
