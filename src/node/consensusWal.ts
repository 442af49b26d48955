/**
 * @module consensusWal — what a validator writes before anything it signs leaves the machine:
 * its engine's locks (the paper's p state) and the messages it signed at the height it works
 * on. After a crash it restarts from this, re-sends what it signed and signs nothing that
 * contradicts it. Stored as opaque bytes through ChainStore.putConsensusState.
 */
import { decode, encode } from '../codec/cbor';
import { asArray, asBytes, asObject, asOneOf, asSafeUint } from '../codec/read';
import { decodeBlock, encodeBlock, type Block } from '../chain/block';
import type { EngineSnapshot } from '../consensus/createConsensusEngine';
import {
  decodeStoredConsensusMessage,
  encodeConsensusMessage,
  type ConsensusMessage,
} from '../consensus/messages';

export interface ConsensusWal {
  snapshot: EngineSnapshot;
  /** What this validator signed at `snapshot.height`. */
  own: ConsensusMessage[];
}

const round = (value: unknown, path: string): number =>
  value === -1 ? -1 : asSafeUint(value, path);

const block = (value: unknown, path: string): Block | null =>
  value === null ? null : decodeBlock(asBytes(value, path));

export function encodeWal(wal: ConsensusWal): Uint8Array {
  const s = wal.snapshot;
  return encode({
    height: s.height,
    round: s.round,
    step: s.step,
    lockedValue: s.lockedValue && encodeBlock(s.lockedValue),
    lockedRound: s.lockedRound,
    validValue: s.validValue && encodeBlock(s.validValue),
    validRound: s.validRound,
    own: wal.own.map(encodeConsensusMessage),
  });
}

export function decodeWal(bytes: Uint8Array): ConsensusWal {
  const v = asObject(decode(bytes), 'wal', [
    'height',
    'round',
    'step',
    'lockedValue',
    'lockedRound',
    'validValue',
    'validRound',
    'own',
  ]);
  return {
    snapshot: {
      height: asSafeUint(v.height, 'wal.height'),
      round: asSafeUint(v.round, 'wal.round'),
      step: asOneOf(v.step, 'wal.step', ['propose', 'prevote', 'precommit'] as const),
      lockedValue: block(v.lockedValue, 'wal.lockedValue'),
      lockedRound: round(v.lockedRound, 'wal.lockedRound'),
      validValue: block(v.validValue, 'wal.validValue'),
      validRound: round(v.validRound, 'wal.validRound'),
    },
    own: asArray(v.own, 'wal.own', 10_000).map((m, i) =>
      decodeStoredConsensusMessage(asBytes(m, `wal.own[${i}]`)),
    ),
  };
}
