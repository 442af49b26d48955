/**
 * @module invite — the string (and later the QR code) that brings someone into a chain: the
 * chain's genesis and the addresses of peers that keep it. `freehold:` then base64url of the
 * canonical CBOR of { v: 1, genesis, peers }, or { v: 2, genesis, peers, checkpoint } with the
 * height and hash of a recent certified block. The chain is whatever the genesis defines, so an
 * invite cannot point at one chain and deliver another; the peers are only where to start
 * looking, and everything learnt from them is verified as usual. The checkpoint is what the
 * inviter vouches for: the newcomer trusts that block rather than the genesis validators alone.
 */
import { base64urlnopad } from '@scure/base';
import { FreeholdError } from '../FreeholdError';
import { decode, DecodeError, encode } from '../codec/cbor';
import { asArray, asObject, asSafeUint, asString } from '../codec/read';
import { chainIdOf, readGenesis, type Genesis } from '../chain/genesis';
import type { Checkpoint } from '../light/trustFromCheckpoint';

export const INVITE_PREFIX = 'freehold:';
/**
 * Version 1 has no checkpoint and version 2 has one, so an invite without one stays readable by
 * every wallet, and an older wallet given a checkpoint says "version 2", not "damaged".
 */
const VERSION = 1;
const CHECKPOINT_VERSION = 2;
/** Peers an invite names at most, and the longest address. */
export const MAX_INVITE_PEERS = 16;
export const MAX_ADDRESS_LENGTH = 512;
/** Longest invite accepted: a genesis with a few thousand balances. */
export const MAX_INVITE_LENGTH = 1024 * 1024;

export interface Invite {
  genesis: Genesis;
  /** Multiaddrs with /p2p/<id> of peers that keep the chain. */
  peers: string[];
  /** A recent certified block to trust instead of the genesis alone. */
  checkpoint?: Checkpoint;
}

export type InviteProblem =
  'notAnInvite' | 'unreadable' | 'unsupportedVersion' | 'badPeers' | 'badCheckpoint';

export class InvalidInviteError extends FreeholdError {
  override name = 'InvalidInviteError' as const;
  readonly problem: InviteProblem;
  constructor(problem: InviteProblem, shortMessage: string, options: { cause?: unknown } = {}) {
    super(shortMessage, options);
    this.problem = problem;
  }
}

export function encodeInvite(invite: Invite): string {
  checkPeers(invite.peers);
  const { genesis, peers, checkpoint } = invite;
  const value =
    checkpoint === undefined
      ? { v: VERSION, genesis, peers }
      : { v: CHECKPOINT_VERSION, genesis, peers, checkpoint: readCheckpoint(checkpoint) };
  return INVITE_PREFIX + base64urlnopad.encode(encode(value));
}

/** Reads an invite string; anything wrong with it is an InvalidInviteError saying what. */
export function decodeInvite(text: string): Invite & { chainId: Uint8Array } {
  const trimmed = text.trim();
  if (!trimmed.startsWith(INVITE_PREFIX))
    throw new InvalidInviteError('notAnInvite', `An invite starts with "${INVITE_PREFIX}".`);
  if (trimmed.length > MAX_INVITE_LENGTH)
    throw new InvalidInviteError('unreadable', 'The invite is too long.');
  let decoded: unknown;
  let version: number;
  try {
    decoded = decode(base64urlnopad.decode(trimmed.slice(INVITE_PREFIX.length)));
    // The version first, whatever the other keys: a later version may have keys unknown here.
    const map = typeof decoded === 'object' && decoded !== null ? decoded : {};
    version = asSafeUint((map as { v?: unknown }).v, 'invite.v');
  } catch (cause) {
    throw new InvalidInviteError('unreadable', 'The invite is damaged or incomplete.', { cause });
  }
  if (version !== VERSION && version !== CHECKPOINT_VERSION)
    throw new InvalidInviteError(
      'unsupportedVersion',
      `This invite is version ${version}; this wallet reads versions ${VERSION} and ${CHECKPOINT_VERSION}.`,
    );
  let value: Record<string, unknown>;
  try {
    const keys = ['v', 'genesis', 'peers'];
    value = asObject(decoded, 'invite', version === VERSION ? keys : [...keys, 'checkpoint']);
  } catch (cause) {
    throw new InvalidInviteError('unreadable', 'The invite is damaged or incomplete.', { cause });
  }
  let genesis: Genesis;
  try {
    genesis = readGenesis(value.genesis);
  } catch (cause) {
    throw new InvalidInviteError('unreadable', 'The chain in the invite is not valid.', { cause });
  }
  let peers: string[];
  try {
    peers = asArray(value.peers, 'invite.peers', MAX_INVITE_PEERS).map((p, i) =>
      asString(p, `invite.peers[${i}]`, MAX_ADDRESS_LENGTH),
    );
  } catch (cause) {
    if (!(cause instanceof DecodeError)) throw cause;
    throw new InvalidInviteError('badPeers', 'The peer addresses in the invite are not valid.', {
      cause,
    });
  }
  checkPeers(peers);
  const chainId = chainIdOf(genesis);
  if (version === VERSION) return { genesis, peers, chainId };
  return { genesis, peers, checkpoint: readCheckpoint(value.checkpoint), chainId };
}

/** A checkpoint's shape: a height of a block (1 or more) and a 32-byte block hash. */
function readCheckpoint(value: unknown): Checkpoint {
  let checkpoint: Record<string, unknown>;
  try {
    checkpoint = asObject(value, 'invite.checkpoint', ['height', 'hash']);
  } catch (cause) {
    throw new InvalidInviteError('badCheckpoint', 'The checkpoint in the invite is not valid.', {
      cause,
    });
  }
  const { height, hash } = checkpoint;
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 1) {
    throw new InvalidInviteError(
      'badCheckpoint',
      'The checkpoint height in the invite must be a whole number from 1.',
    );
  }
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    throw new InvalidInviteError(
      'badCheckpoint',
      'The checkpoint hash in the invite must be 32 bytes.',
    );
  }
  return { height, hash };
}

function checkPeers(peers: readonly string[]): void {
  if (peers.length > MAX_INVITE_PEERS)
    throw new InvalidInviteError('badPeers', `An invite names at most ${MAX_INVITE_PEERS} peers.`);
  for (const p of peers) {
    if (!p.startsWith('/') || !p.includes('/p2p/') || p.length > MAX_ADDRESS_LENGTH)
      throw new InvalidInviteError(
        'badPeers',
        'A peer address in an invite is a multiaddr ending in /p2p/<peer id>.',
      );
  }
}
