/**
 * @module verifyEntry — checks one state entry (an account, a balance, an asset, a record, a
 * proposal, the validator set) by Merkle proof against the state root of a verified header.
 */
import type { BlockHeader } from '../chain/block';
import { verifyStateProof } from '../chain/sparseMerkleTree';
import {
  decodeEntry,
  stateKeyOf,
  stateValueHash,
  type EntryName,
  type StateValue,
} from '../chain/stateEntries';
import { LightClientError } from './verifyLightBlock';

/** The proven value of `name` at `header` (undefined when the proof shows it absent). */
export function verifyEntry(
  header: BlockHeader,
  name: EntryName,
  value: Uint8Array | null,
  proof: Uint8Array,
): StateValue | undefined {
  const ok = verifyStateProof(
    header.stateRoot,
    stateKeyOf(name),
    value === null ? null : stateValueHash(value),
    proof,
  );
  if (!ok) {
    throw new LightClientError('invalidProof', 'The proof does not match the verified state.', {
      details: `entry ${name}`,
    });
  }
  return value === null ? undefined : decodeEntry(name, value);
}
