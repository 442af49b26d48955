/**
 * @module trustFromCheckpoint — a trust root from a checkpoint (the height and hash of a recent
 * certified block, as an invite carries it) instead of the genesis alone (CometBFT light client
 * spec, "trust options": a height and hash obtained out of band, within the trusting period).
 */
import { blockHashOf } from '../chain/block';
import { hashValidatorSet } from '../chain/validatorSet';
import { bytesToHex, equalBytes } from '../crypto/bytes';
import { checkNotExpired, checkNotFromFuture } from './checkTrustingPeriod';
import { LightClientError } from './LightClientError';
import {
  checkOwnCommit,
  type LightBlock,
  type TrustedBlock,
  type VerifyOptions,
} from './verifyLightBlock';

export interface Checkpoint {
  height: number;
  /** The block hash (hash of the header) at `height`. */
  hash: Uint8Array;
}

/**
 * Trusts `block`, fetched from a peer, when it is the checkpoint's block of chain `chainId`:
 * same height and hash, its validator sets the ones its header names, its certificate valid,
 * and (with `now`) still within the trusting period. Throws LightClientError (the peer's
 * fault) or ExpiredTrustError (the checkpoint is too old: ask for a fresh one).
 */
export async function trustFromCheckpoint(
  block: LightBlock,
  checkpoint: Checkpoint,
  chainId: Uint8Array,
  options: VerifyOptions = {},
): Promise<TrustedBlock> {
  const h = block.header;
  if (h.height !== checkpoint.height) {
    throw new LightClientError(
      'wrongHeight',
      `Asked for the light block at height ${checkpoint.height}, got one at height ${h.height}.`,
    );
  }
  if (!equalBytes(h.chainId, chainId))
    throw new LightClientError('wrongChain', 'The header belongs to another chain.');
  const hash = blockHashOf(h);
  if (!equalBytes(hash, checkpoint.hash)) {
    throw new LightClientError('notCheckpoint', 'The block is not the one the checkpoint names.', {
      details: `height ${h.height}: hash ${bytesToHex(hash)}, checkpoint ${bytesToHex(checkpoint.hash)}`,
    });
  }
  checkNotExpired(h, options);
  checkNotFromFuture(h, options);
  if (
    !equalBytes(hashValidatorSet(block.validators), h.validatorsHash) ||
    !equalBytes(hashValidatorSet(block.nextValidators), h.nextValidatorsHash)
  ) {
    throw new LightClientError('wrongValidators', 'The validator sets do not match the header.');
  }
  // The hash alone pins the header; the certificate shows it was committed, not just proposed.
  await checkOwnCommit(block, options.verifier);
  return block;
}
