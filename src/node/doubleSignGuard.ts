/**
 * @module doubleSignGuard — keeps one validator key from signing on two devices (or in two
 * tabs) at once. A restarted or restored validator first listens for a while without signing
 * (CometBFT's `double_sign_check_height` is the model, counted here in time because a small
 * chain may not move without this key); from then on, a vote or certificate signature of this
 * key that this node did not make means the key is signing elsewhere, and this node stops
 * signing for good and says so. Ed25519 signatures are deterministic, so "did not make" is
 * "not one of the signatures this node published". Pure: the clock is passed in.
 */
import { bytesKey, equalBytes } from '../crypto/bytes';
import type { CommitCertificate } from '../chain/block';
import type { Vote } from '../chain/vote';
import type { Proposal } from '../consensus/messages';

export interface DoubleSignGuard {
  /** Signatures this node published at a height (its write-ahead record included). */
  own(height: number, signatures: Uint8Array[]): void;
  /** A vote seen on gossip; returns a reason when it shows the key signing elsewhere. */
  vote(vote: Vote): string | undefined;
  /** A proposal seen on gossip; the same for a proposal. */
  proposal(proposal: Proposal): string | undefined;
  /**
   * A certificate of a decision this node made live (not one catch-up brought: that is
   * history, which a restored key's old device signed); a reason when it shows the key
   * signing elsewhere.
   */
  certificate(certificate: CommitCertificate): string | undefined;
  /** Whether signing may start: the quiet period is over and nothing was seen. */
  maySign(now: number): boolean;
  /** Why signing stopped, or undefined while it has not. */
  halted(): string | undefined;
}

export interface DoubleSignGuardOptions {
  key: Uint8Array;
  /** The committed height when this node started: what came before is history, not a sign. */
  startHeight: number;
  /** When this node started (ms). */
  startedAt: number;
  /** How long it listens before it signs (ms). */
  quietMs: number;
}

/** Heights whose own signatures are remembered: certificates arrive a little after their votes. */
const REMEMBERED_HEIGHTS = 64;

export function createDoubleSignGuard(options: DoubleSignGuardOptions): DoubleSignGuard {
  const { key, startHeight, startedAt } = options;
  const quietUntil = startedAt + options.quietMs;
  const signed = new Map<number, Set<string>>();
  let reason: string | undefined;
  const ours = (height: number, signature: Uint8Array): boolean =>
    signed.get(height)?.has(bytesKey(signature)) ?? false;
  const stop = (why: string): string => (reason ??= why);
  return {
    own(height, signatures) {
      let set = signed.get(height);
      if (!set) {
        signed.set(height, (set = new Set()));
        for (const h of signed.keys()) if (h <= height - REMEMBERED_HEIGHTS) signed.delete(h);
      }
      for (const s of signatures) set.add(bytesKey(s));
    },
    vote(vote) {
      if (!equalBytes(vote.validator, key) || vote.height <= startHeight) return undefined;
      if (ours(vote.height, vote.signature)) return undefined;
      return stop(`this key signed a ${vote.type} at height ${vote.height} on another device`);
    },
    proposal(p) {
      if (!equalBytes(p.proposer, key) || p.height <= startHeight) return undefined;
      if (ours(p.height, p.signature)) return undefined;
      return stop(`this key proposed a block at height ${p.height} on another device`);
    },
    certificate(certificate) {
      if (certificate.height <= startHeight) return undefined;
      const mine = certificate.signatures.find((s) => equalBytes(s.validator, key));
      if (!mine || ours(certificate.height, mine.signature)) return undefined;
      return stop(`this key signed block ${certificate.height} on another device`);
    },
    maySign: (now) => reason === undefined && now >= quietUntil,
    halted: () => reason,
  };
}
