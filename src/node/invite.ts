/**
 * @module invite — the string (and later the QR code) that brings someone into a chain: the
 * chain's genesis and the addresses of peers that keep it. `freehold:` then base64url of the
 * canonical CBOR of { v, genesis, peers }. The chain is whatever the genesis defines, so an
 * invite cannot point at one chain and deliver another; the peers are only where to start
 * looking, and everything learnt from them is verified as usual.
 */
import { base64urlnopad } from '@scure/base';
import { FreeholdError } from '../FreeholdError';
import { decode, DecodeError, encode } from '../codec/cbor';
import { asArray, asObject, asSafeUint, asString } from '../codec/read';
import { chainIdOf, readGenesis, type Genesis } from '../chain/genesis';

export const INVITE_PREFIX = 'freehold:';
const VERSION = 1;
/** Peers an invite names at most, and the longest address. */
export const MAX_INVITE_PEERS = 16;
export const MAX_ADDRESS_LENGTH = 512;
/** Longest invite accepted: a genesis with a few thousand balances. */
export const MAX_INVITE_LENGTH = 1024 * 1024;

export interface Invite {
  genesis: Genesis;
  /** Multiaddrs with /p2p/<id> of peers that keep the chain. */
  peers: string[];
}

export type InviteProblem = 'notAnInvite' | 'unreadable' | 'unsupportedVersion' | 'badPeers';

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
  return (
    INVITE_PREFIX +
    base64urlnopad.encode(encode({ v: VERSION, genesis: invite.genesis, peers: invite.peers }))
  );
}

/** Reads an invite string; anything wrong with it is an InvalidInviteError saying what. */
export function decodeInvite(text: string): Invite & { chainId: Uint8Array } {
  const trimmed = text.trim();
  if (!trimmed.startsWith(INVITE_PREFIX))
    throw new InvalidInviteError('notAnInvite', `An invite starts with "${INVITE_PREFIX}".`);
  if (trimmed.length > MAX_INVITE_LENGTH)
    throw new InvalidInviteError('unreadable', 'The invite is too long.');
  let value: Record<string, unknown>;
  let version: number;
  try {
    const bytes = base64urlnopad.decode(trimmed.slice(INVITE_PREFIX.length));
    value = asObject(decode(bytes), 'invite', ['v', 'genesis', 'peers']);
    version = asSafeUint(value.v, 'invite.v');
  } catch (cause) {
    throw new InvalidInviteError('unreadable', 'The invite is damaged or incomplete.', { cause });
  }
  if (version !== VERSION)
    throw new InvalidInviteError(
      'unsupportedVersion',
      `This invite is version ${version}; this wallet reads version ${VERSION}.`,
    );
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
  return { genesis, peers, chainId: chainIdOf(genesis) };
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
