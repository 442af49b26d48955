/**
 * @module createConsensusEngine — Tendermint consensus for one validator (or observer) as a pure
 * state machine: Algorithm 1 of "The latest gossip on BFT consensus" (Buchman, Kwon, Milosevic,
 * 2018). Inputs are a proposal, a vote, or a timeout that fired; outputs are messages to
 * broadcast, timeouts to schedule, a decision with its commit certificate, and evidence of
 * double signing. No clock, no network, no storage: the node around it owns those.
 *
 * After each input the "upon" rules are evaluated again until none fires, so the order in which
 * messages arrive never matters beyond what the paper allows. Comments cite the paper's lines.
 * "2f+1" is read as "more than the chain's threshold of voting power", "f+1" as "more than the
 * largest faulty share the threshold tolerates" (1/3 for the default threshold of 2/3).
 */
import { bytesKey, equalBytes } from '../crypto/bytes';
import { verify } from '../crypto/ed25519';
import { blockHashOf, type Block, type CommitCertificate } from '../chain/block';
import { exceeds, type Fraction } from '../chain/fraction';
import { findValidator, totalPower, type ValidatorSet } from '../chain/validatorSet';
import { proposalSigningBytes, type ConsensusMessage, type Proposal } from './messages';
import { signVote, voteSigningBytes, type Vote, type VoteType } from '../chain/vote';
import { proposerOf } from './proposer';
import type { DuplicateVoteEvidence } from '../chain/evidence';

export type Step = 'propose' | 'prevote' | 'precommit';
const STEP_ORDER: Record<Step, number> = { propose: 0, prevote: 1, precommit: 2 };

export interface Timeout {
  step: Step;
  height: number;
  round: number;
}

/** Timeouts grow with the round so that, after GST, some round is long enough (paper §4). */
export interface TimeoutConfig {
  proposeMs: number;
  prevoteMs: number;
  precommitMs: number;
  /** Added per round to each of the above. */
  deltaMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  proposeMs: 1000,
  prevoteMs: 500,
  precommitMs: 500,
  deltaMs: 250,
};

export type EngineOutput =
  | { type: 'broadcast'; message: ConsensusMessage }
  | { type: 'schedule'; timeout: Timeout; delayMs: number }
  | { type: 'decide'; height: number; round: number; block: Block; certificate: CommitCertificate }
  | { type: 'evidence'; evidence: DuplicateVoteEvidence }
  | { type: 'rejected'; reason: string; from: Uint8Array | null };

/**
 * Lines 23 and 29: whether to prevote for a proposed value. Exposed as a seam so a test can run
 * a deliberately broken variant (the lock ignored) and show the simulator catches it.
 */
export type PrevoteRule = (args: {
  valid: boolean;
  lockedRound: number;
  lockedValueMatches: boolean;
  /** −1 for a fresh proposal (line 22), vr for a re-proposal (line 28). */
  validRound: number;
}) => boolean;

export const tendermintPrevoteRule: PrevoteRule = ({
  valid,
  lockedRound,
  lockedValueMatches,
  validRound,
}) =>
  validRound === -1
    ? valid && (lockedRound === -1 || lockedValueMatches) // line 23
    : valid && (lockedRound <= validRound || lockedValueMatches); // line 29

/** What must survive a crash so a restarted validator keeps its locks (the paper's p state). */
export interface EngineSnapshot {
  height: number;
  round: number;
  step: Step;
  lockedValue: Block | null;
  lockedRound: number;
  validValue: Block | null;
  validRound: number;
}

export interface EngineInit {
  chainId: Uint8Array;
  height: number;
  validators: ValidatorSet;
  /** This node's validator key and signer; null for a node that only follows. */
  self: { publicKey: Uint8Array; sign: (message: Uint8Array) => Uint8Array } | null;
  /** getValue() of line 17: the block this node would propose. */
  getValue: (height: number, round: number) => Block;
  /** valid(v): the block passes the chain rules on top of the committed state. */
  isValid: (block: Block) => boolean;
  verifySignature?: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;
  timeouts?: TimeoutConfig;
  prevoteRule?: PrevoteRule;
  /** The state a restarted validator had persisted. */
  restore?: EngineSnapshot;
}

export interface ConsensusEngine {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  /** True once this height is decided, until `nextHeight`. */
  readonly decided: boolean;
  start(): EngineOutput[];
  onMessage(message: ConsensusMessage): EngineOutput[];
  onTimeout(timeout: Timeout): EngineOutput[];
  /** Moves to the next height once the node has committed the decision (lines 52–54). */
  nextHeight(height: number, validators: ValidatorSet): EngineOutput[];
  snapshot(): EngineSnapshot;
}

/** Rounds further ahead than this are ignored: a faulty validator cannot fill memory with them. */
export const MAX_ROUNDS_AHEAD = 1000;
/**
 * Distinct values kept per validator for one (type, round). An equivocator's votes are all real
 * messages and the paper counts messages: a correct node that received v from half the network
 * and v' from the other half must still count the signer toward v, or it may never see the
 * quorum that justifies re-proposing a locked value. Three is enough to hold both halves.
 */
const MAX_VALUES_PER_SIGNER = 3;
/** Messages for the next height kept until this node gets there. */
const MAX_FUTURE_MESSAGES = 4096;

const NIL = 'nil';

/** f+1 of the paper for a threshold t: the largest faulty share t tolerates, min(2t − 1, 1 − t). */
export function faultyShare(threshold: Fraction): Fraction {
  const { numerator: n, denominator: d } = threshold;
  return { numerator: Math.max(0, Math.min(2 * n - d, d - n)), denominator: d };
}

export function createConsensusEngine(init: EngineInit): ConsensusEngine {
  const { chainId, self } = init;
  const verifySignature = init.verifySignature ?? verify;
  const timeouts = init.timeouts ?? DEFAULT_TIMEOUTS;
  const prevoteRule = init.prevoteRule ?? tendermintPrevoteRule;

  let validators = init.validators;
  let total = totalPower(validators);
  let powers = new Map(validators.validators.map((v) => [bytesKey(v.publicKey), v.power]));
  let h = init.height;
  let round = 0;
  let step: Step = 'propose';
  let lockedValue: Block | null = null;
  let lockedRound = -1;
  let validValue: Block | null = null;
  let validRound = -1;
  let decided = false;

  // The message log of this height.
  /** round → the proposals held for it: the first is the one prevoted on (line 22); an
   * equivocating proposer's others are kept too (bounded), so a quorum for any of them can be
   * locked on (line 36) and decided (line 49). */
  let proposals = new Map<number, { proposal: Proposal; hash: string }[]>();
  /** (type, round) → validator → value → vote. */
  let votes = new Map<string, Map<string, Map<string, Vote>>>();
  /** (type, round) → power that voted at all, and per value: kept as votes arrive. */
  let tallies = new Map<string, { any: number; byValue: Map<string, number> }>();
  /** round → who sent anything for it, and their power (lines 55–56). */
  let senders = new Map<number, { who: Set<string>; power: number }>();
  const validity = new Map<string, boolean>();
  // "for the first time" flags of lines 34, 36 and 47, per round.
  let fired = new Set<string>();
  let future: ConsensusMessage[] = [];

  if (init.restore && init.restore.height === init.height) {
    ({ round, step, lockedValue, lockedRound, validValue, validRound } = init.restore);
  }

  const hashKey = (block: Block): string => bytesKey(blockHashOf(block.header));
  const isValid = (block: Block): boolean => {
    const key = hashKey(block);
    let v = validity.get(key);
    if (v === undefined) {
      v =
        block.header.height === h &&
        equalBytes(block.header.chainId, chainId) &&
        init.isValid(block);
      validity.set(key, v);
    }
    return v;
  };
  const votesFor = (type: VoteType, r: number): Map<string, Map<string, Vote>> => {
    const key = `${type}:${r}`;
    let m = votes.get(key);
    if (!m) votes.set(key, (m = new Map<string, Map<string, Vote>>()));
    return m;
  };
  const tallyOf = (type: VoteType, r: number) => {
    const key = `${type}:${r}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { any: 0, byValue: new Map<string, number>() }));
    return t;
  };
  /** Power of the `type` votes at round r for `value` (a hash key, NIL, or any when undefined). */
  const tally = (type: VoteType, r: number, value?: string): number => {
    const t = tallies.get(`${type}:${r}`);
    if (!t) return 0;
    return value === undefined ? t.any : (t.byValue.get(value) ?? 0);
  };
  const quorum = (power: number): boolean => exceeds(power, total, validators.threshold);
  const moreThanFaulty = (power: number): boolean =>
    exceeds(power, total, faultyShare(validators.threshold));
  const timeoutAfter = (s: Step, r: number): number =>
    (s === 'propose'
      ? timeouts.proposeMs
      : s === 'prevote'
        ? timeouts.prevoteMs
        : timeouts.precommitMs) +
    r * timeouts.deltaMs;

  let out: EngineOutput[] = [];

  const schedule = (s: Step, r: number): void => {
    out.push({
      type: 'schedule',
      timeout: { step: s, height: h, round: r },
      delayMs: timeoutAfter(s, r),
    });
  };

  /** Signs and broadcasts our vote, and counts it as received (we are one of the validators). */
  const castVote = (type: VoteType, blockHash: Uint8Array | null): void => {
    if (!self || !findValidator(validators, self.publicKey)) return;
    const vote = signVote(
      chainId,
      { type, height: h, round, blockHash },
      self.publicKey,
      self.sign,
    );
    record(vote);
    out.push({ type: 'broadcast', message: { kind: 'vote', vote } });
  };

  /** Lines 11–21. */
  const startRound = (r: number): void => {
    round = r;
    step = 'propose';
    const proposer = proposerOf(validators, h, round);
    if (self && equalBytes(proposer.publicKey, self.publicKey)) {
      const value = validValue ?? init.getValue(h, round); // lines 15–17
      const blockHash = blockHashOf(value.header);
      const proposal: Proposal = {
        height: h,
        round,
        block: value,
        validRound,
        proposer: self.publicKey,
        signature: self.sign(
          proposalSigningBytes(chainId, { height: h, round, blockHash, validRound }),
        ),
      };
      storeProposal(proposal);
      out.push({ type: 'broadcast', message: { kind: 'proposal', proposal } }); // line 19
    } else {
      schedule('propose', round); // line 21
    }
  };

  const noteSender = (r: number, who: string): void => {
    let s = senders.get(r);
    if (!s) senders.set(r, (s = { who: new Set(), power: 0 }));
    if (s.who.has(who)) return;
    s.who.add(who);
    s.power += powers.get(who) ?? 0;
  };

  const storeProposal = (p: Proposal): void => {
    const held = proposals.get(p.round) ?? [];
    const hash = hashKey(p.block);
    if (held.length < MAX_VALUES_PER_SIGNER && !held.some((x) => x.hash === hash)) {
      held.push({ proposal: p, hash });
      proposals.set(p.round, held);
    }
    noteSender(p.round, bytesKey(p.proposer));
  };

  const valueOf = (vote: Vote): string => (vote.blockHash ? bytesKey(vote.blockHash) : NIL);

  /** True when this exact vote is already held: checked before spending a signature check. */
  const holds = (vote: Vote): boolean => {
    const held = votes
      .get(`${vote.type}:${vote.round}`)
      ?.get(bytesKey(vote.validator))
      ?.get(valueOf(vote));
    return held !== undefined && equalBytes(held.signature, vote.signature);
  };

  /** Stores a checked vote; a second, different vote for the same slot is evidence. */
  const record = (vote: Vote): void => {
    const slot = votesFor(vote.type, vote.round);
    const who = bytesKey(vote.validator);
    const t = tallyOf(vote.type, vote.round);
    const power = powers.get(who) ?? 0;
    let byValue = slot.get(who);
    if (!byValue) {
      slot.set(who, (byValue = new Map<string, Vote>()));
      t.any += power;
    }
    const value = valueOf(vote);
    if (byValue.has(value) || byValue.size >= MAX_VALUES_PER_SIGNER) return;
    const earlier = byValue.values().next().value;
    byValue.set(value, vote);
    t.byValue.set(value, (t.byValue.get(value) ?? 0) + power);
    noteSender(vote.round, who);
    if (earlier) out.push({ type: 'evidence', evidence: { voteA: earlier, voteB: vote } });
  };

  const reject = (reason: string, from: Uint8Array | null): void => {
    out.push({ type: 'rejected', reason, from });
  };

  const acceptProposal = (p: Proposal): void => {
    const expected = proposerOf(validators, h, p.round);
    if (!equalBytes(p.proposer, expected.publicKey))
      return reject('proposal from a validator whose turn it is not', p.proposer);
    if (p.validRound >= p.round)
      return reject('proposal with a valid round not before its round', p.proposer);
    const blockHash = blockHashOf(p.block.header);
    const bytes = proposalSigningBytes(chainId, {
      height: p.height,
      round: p.round,
      blockHash,
      validRound: p.validRound,
    });
    if (!verifySignature(p.signature, bytes, p.proposer))
      return reject('proposal with a bad signature', p.proposer);
    storeProposal(p);
  };

  const acceptVote = (v: Vote): void => {
    if (holds(v)) return;
    if (!powers.has(bytesKey(v.validator)))
      return reject('vote from a key that is not a validator', v.validator);
    if (!verifySignature(v.signature, voteSigningBytes(chainId, v), v.validator))
      return reject('vote with a bad signature', v.validator);
    record(v);
  };

  const proposalAt = (r: number): { proposal: Proposal; hash: string } | undefined =>
    proposals.get(r)?.[0];

  /** One pass over the upon rules; true if any fired. */
  const applyRules = (): boolean => {
    if (decided) return false;
    const current = proposalAt(round);

    // Lines 22–27 and 28–33: prevote on the round's proposal.
    if (step === 'propose' && current) {
      const { proposal: p, hash } = current;
      const vr = p.validRound;
      if (vr === -1 || quorum(tally('prevote', vr, hash))) {
        const valid = isValid(p.block);
        const ok = prevoteRule({
          valid,
          lockedRound,
          lockedValueMatches: lockedValue !== null && hashKey(lockedValue) === hash,
          validRound: vr,
        });
        castVote('prevote', ok ? blockHashOf(p.block.header) : null);
        step = 'prevote';
        return true;
      }
    }

    // Lines 34–35.
    if (step === 'prevote' && !fired.has(`34:${round}`) && quorum(tally('prevote', round))) {
      fired.add(`34:${round}`);
      schedule('prevote', round);
      return true;
    }

    // Lines 36–43: whichever held proposal of this round has a quorum of prevotes.
    const backed = (proposals.get(round) ?? []).find(
      ({ proposal: p, hash }) => quorum(tally('prevote', round, hash)) && isValid(p.block),
    );
    if (backed && STEP_ORDER[step] >= STEP_ORDER.prevote && !fired.has(`36:${round}`)) {
      const { proposal: p } = backed;
      fired.add(`36:${round}`);
      if (step === 'prevote') {
        lockedValue = p.block; // line 38
        lockedRound = round;
        castVote('precommit', blockHashOf(p.block.header)); // line 40
        step = 'precommit';
      }
      validValue = p.block; // line 42
      validRound = round;
      return true;
    }

    // Lines 44–46.
    if (step === 'prevote' && quorum(tally('prevote', round, NIL))) {
      castVote('precommit', null);
      step = 'precommit';
      return true;
    }

    // Lines 47–48.
    if (!fired.has(`47:${round}`) && quorum(tally('precommit', round))) {
      fired.add(`47:${round}`);
      schedule('precommit', round);
      return true;
    }

    // Lines 49–54: a decision in any round for which we hold the proposal.
    for (const [r, { proposal: p, hash }] of [...proposals].flatMap(([r, held]) =>
      held.map((x) => [r, x] as const),
    )) {
      if (quorum(tally('precommit', r, hash)) && isValid(p.block)) {
        const signatures = [...votesFor('precommit', r).values()]
          .flatMap((byValue) => {
            const v = byValue.get(hash);
            return v ? [{ validator: v.validator, signature: v.signature }] : [];
          })
          .sort((a, b) => (bytesKey(a.validator) < bytesKey(b.validator) ? -1 : 1));
        const certificate: CommitCertificate = {
          height: h,
          round: r,
          blockHash: blockHashOf(p.block.header),
          signatures,
        };
        decided = true;
        out.push({ type: 'decide', height: h, round: r, block: p.block, certificate });
        return true;
      }
    }

    // Lines 55–56: f+1 of a later round pull us there.
    for (const [r, { power }] of senders) {
      if (r > round && moreThanFaulty(power)) {
        startRound(r);
        return true;
      }
    }
    return false;
  };

  const run = (work: () => void): EngineOutput[] => {
    out = [];
    work();
    while (applyRules()) {
      /* until no rule fires */
    }
    const result = out;
    out = [];
    return result;
  };

  const receive = (message: ConsensusMessage): void => {
    const m = message.kind === 'vote' ? message.vote : message.proposal;
    const from = message.kind === 'vote' ? message.vote.validator : message.proposal.proposer;
    if (m.height === h + 1) {
      if (future.length < MAX_FUTURE_MESSAGES) future.push(message);
      return;
    }
    if (m.height !== h || decided) return;
    if (m.round > round + MAX_ROUNDS_AHEAD) return reject('message too many rounds ahead', from);
    if (message.kind === 'vote') acceptVote(message.vote);
    else acceptProposal(message.proposal);
  };

  return {
    get height() {
      return h;
    },
    get round() {
      return round;
    },
    get step() {
      return step;
    },
    get decided() {
      return decided;
    },

    start() {
      return run(() => {
        if (init.restore && init.restore.height === h) {
          // A restarted validator resumes its round; its step's timeout covers what it missed.
          if (step === 'propose') schedule('propose', round);
          else if (step === 'prevote') schedule('prevote', round);
          else schedule('precommit', round);
        } else {
          startRound(0); // line 10
        }
      });
    },

    onMessage(message) {
      return run(() => receive(message));
    },

    onTimeout(t) {
      return run(() => {
        if (t.height !== h || t.round !== round || decided) return;
        if (t.step === 'propose' && step === 'propose') {
          castVote('prevote', null); // lines 57–60
          step = 'prevote';
        } else if (t.step === 'prevote' && step === 'prevote') {
          castVote('precommit', null); // lines 61–64
          step = 'precommit';
        } else if (t.step === 'precommit') {
          startRound(round + 1); // lines 65–67
        }
      });
    },

    nextHeight(height, next) {
      return run(() => {
        h = height; // line 52
        validators = next;
        total = totalPower(next);
        powers = new Map(next.validators.map((v) => [bytesKey(v.publicKey), v.power]));
        lockedValue = null; // line 53
        lockedRound = -1;
        validValue = null;
        validRound = -1;
        decided = false;
        proposals = new Map();
        votes = new Map();
        tallies = new Map();
        senders = new Map();
        fired = new Set();
        validity.clear();
        const pending = future;
        future = [];
        startRound(0); // line 54
        for (const m of pending) receive(m);
      });
    },

    snapshot() {
      return { height: h, round, step, lockedValue, lockedRound, validValue, validRound };
    },
  };
}
