// The consensus engine's upon-rules one by one (pure, real signatures, no network): what each
// line of the paper's Algorithm 1 makes a validator send, schedule, lock and decide.
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/crypto/ed25519';
import { bytesKey } from '../../src/crypto/bytes';
import {
  faultyShare,
  tendermintPrevoteRule,
  type EngineOutput,
} from '../../src/consensus/createConsensusEngine';
import { proposalSigningBytes } from '../../src/consensus/messages';
import {
  blockAt,
  bystander,
  cast,
  castIn,
  chainId,
  equalSet,
  feed,
  hashOf,
  others,
  proposal,
  proposerKey,
  scheduledIn,
  startEngine,
  voteBy,
} from './engineFixture';

const timeouts = { proposeMs: 100, prevoteMs: 200, precommitMs: 300, deltaMs: 10 };
const decisionIn = (outputs: EngineOutput[]) =>
  outputs.flatMap((o) => (o.type === 'decide' ? [o] : []));

describe('consensus engine: starting a round (pure)', () => {
  it('the proposer proposes its value at round 0 with no valid round, signed', () => {
    const me = proposerKey(0);
    const { outputs } = startEngine({ me });
    const sent = outputs.flatMap((o) =>
      o.type === 'broadcast' && o.message.kind === 'proposal' ? [o.message.proposal] : [],
    );
    expect(sent).toHaveLength(1);
    const p = sent[0]!;
    expect([p.height, p.round, p.validRound]).toEqual([1, 0, -1]);
    expect(hashOf(p.block)).toEqual(hashOf(blockAt(1)));
    const bytes = proposalSigningBytes(chainId(), { ...p, blockHash: hashOf(p.block) });
    expect(verify(p.signature, bytes, me.publicKey)).toBe(true);
    // It prevotes its own proposal at once.
    expect(castIn(outputs)).toEqual([cast('prevote', 0, blockAt(1))]);
  });

  it('any other validator waits for the proposal, with a timeout growing by round', () => {
    const { engine, outputs } = startEngine({ me: bystander(), timeouts });
    expect(scheduledIn(outputs)).toEqual(['propose h1 r0 100ms']);
    expect(castIn(engine.onTimeout({ step: 'propose', height: 1, round: 0 }))).toEqual([
      cast('prevote', 0, null),
    ]);
    expect(scheduledIn(engine.onTimeout({ step: 'prevote', height: 1, round: 0 }))).toEqual([]);
    const next = engine.onTimeout({ step: 'precommit', height: 1, round: 0 });
    expect(engine.round).toBe(1);
    expect(scheduledIn(next)).toEqual(['propose h1 r1 110ms']);
  });

  it('an observer and a key outside the set never vote', () => {
    for (const me of [null, { ...bystander(), publicKey: new Uint8Array(32).fill(9) }]) {
      const { engine } = startEngine({ me });
      const block = blockAt(10);
      const out = feed(engine, [
        proposal(0, block),
        ...others(null)
          .slice(0, 3)
          .map((k) => voteBy(k, 'prevote', 0, block)),
      ]);
      expect(castIn(out)).toEqual([]);
      expect(castIn(engine.onTimeout({ step: 'propose', height: 1, round: 0 }))).toEqual([]);
    }
  });
});

describe('consensus engine: timeouts (pure)', () => {
  it('acts on a timeout only for its own height, round and step', () => {
    const { engine } = startEngine({ me: bystander(), timeouts });
    expect(engine.onTimeout({ step: 'propose', height: 2, round: 0 })).toEqual([]);
    expect(engine.onTimeout({ step: 'propose', height: 1, round: 1 })).toEqual([]);
    expect(engine.onTimeout({ step: 'prevote', height: 1, round: 0 })).toEqual([]);
    expect(engine.step).toBe('propose');
    engine.onTimeout({ step: 'propose', height: 1, round: 0 });
    // A second propose timeout while prevoting changes nothing.
    expect(engine.onTimeout({ step: 'propose', height: 1, round: 0 })).toEqual([]);
    expect(castIn(engine.onTimeout({ step: 'prevote', height: 1, round: 0 }))).toEqual([
      cast('precommit', 0, null),
    ]);
    expect(engine.step).toBe('precommit');
    expect(engine.onTimeout({ step: 'prevote', height: 1, round: 0 })).toEqual([]);
  });

  it('schedules the prevote timeout once, on a quorum of prevotes for anything (line 34)', () => {
    const { engine, me } = startEngine({ me: bystander(), timeouts });
    engine.onTimeout({ step: 'propose', height: 1, round: 0 }); // our nil prevote
    const [x, y, z] = others(me);
    expect(scheduledIn(engine.onMessage(voteBy(x!, 'prevote', 0, blockAt(10))))).toEqual([]);
    expect(scheduledIn(engine.onMessage(voteBy(y!, 'prevote', 0, blockAt(20))))).toEqual([
      'prevote h1 r0 200ms',
    ]);
    expect(scheduledIn(engine.onMessage(voteBy(z!, 'prevote', 0, blockAt(30))))).toEqual([]);
  });

  it('schedules the precommit timeout once, on a quorum of precommits for anything (line 47)', () => {
    const { engine, me } = startEngine({ me: bystander(), timeouts });
    const [x, y, z] = others(me);
    feed(engine, [voteBy(x!, 'precommit', 0, blockAt(10)), voteBy(y!, 'precommit', 0, null)]);
    expect(scheduledIn(engine.onMessage(voteBy(z!, 'precommit', 0, blockAt(20))))).toEqual([
      'precommit h1 r0 300ms',
    ]);
    expect(scheduledIn(engine.onMessage(voteBy(z!, 'precommit', 0, blockAt(30))))).toEqual([]);
  });
});

describe('consensus engine: locking and deciding (pure)', () => {
  it('precommits and locks on a value with a quorum of prevotes (lines 36–43)', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    const [x, y] = others(me);
    expect(castIn(engine.onMessage(voteBy(x!, 'prevote', 0, block)))).toEqual([]);
    expect(castIn(engine.onMessage(voteBy(y!, 'prevote', 0, block)))).toEqual([
      cast('precommit', 0, block),
    ]);
    const s = engine.snapshot();
    expect([s.step, s.lockedRound, s.validRound]).toEqual(['precommit', 0, 0]);
    expect(hashOf(s.lockedValue!)).toEqual(hashOf(block));
    expect(hashOf(s.validValue!)).toEqual(hashOf(block));
  });

  it('after precommitting nil, a late quorum makes the value valid but not locked', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    engine.onTimeout({ step: 'prevote', height: 1, round: 0 });
    const [x, y] = others(me);
    const castLate = feed(engine, [
      voteBy(x!, 'prevote', 0, null),
      voteBy(y!, 'prevote', 0, block),
    ]);
    expect(castIn(castLate)).toEqual([]);
    const late = engine.onMessage(voteBy(others(me)[2]!, 'prevote', 0, block));
    expect(castIn(late)).toEqual([]);
    const s = engine.snapshot();
    expect([s.lockedValue, s.lockedRound, s.validRound]).toEqual([null, -1, 0]);
  });

  it('does not lock on a value the chain rules refuse, however many prevote it', () => {
    const { engine, me } = startEngine({ me: bystander(), isValid: () => false });
    const block = blockAt(10);
    const out = feed(engine, [
      proposal(0, block),
      ...others(me).map((k) => voteBy(k, 'prevote', 0, block)),
    ]);
    expect(castIn(out)).toEqual([cast('prevote', 0, null)]);
    expect(engine.snapshot().lockedRound).toBe(-1);
  });

  it('precommits nil on a quorum of nil prevotes (lines 44–46)', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    const [x, y, z] = others(me);
    expect(castIn(feed(engine, [voteBy(x!, 'prevote', 0, null)]))).toEqual([]);
    expect(castIn(feed(engine, [voteBy(y!, 'prevote', 0, null)]))).toEqual([]);
    // Ours was for the block: two nil prevotes of four are not a quorum; a third is.
    expect(castIn(feed(engine, [voteBy(z!, 'prevote', 0, null)]))).toEqual([
      cast('precommit', 0, null),
    ]);
  });

  it('decides with a certificate of the quorum’s precommits, sorted by key (lines 49–54)', () => {
    const { engine, me } = startEngine({ me: null });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    const signers = others(me).slice(1);
    const out = feed(engine, [
      ...signers.map((k) => voteBy(k, 'precommit', 0, block)),
      voteBy(others(me)[0]!, 'precommit', 0, null),
    ]);
    const [decision] = decisionIn(out);
    expect(decision).toBeDefined();
    const { certificate } = decision!;
    expect([decision!.height, decision!.round, certificate.height, certificate.round]).toEqual([
      1, 0, 1, 0,
    ]);
    expect(certificate.blockHash).toEqual(hashOf(block));
    const signed = certificate.signatures.map((s) => bytesKey(s.validator));
    expect(signed).toEqual(signers.map((k) => bytesKey(k.publicKey)).sort());
    expect(engine.decided).toBe(true);
  });

  it('decides an earlier round’s value when its precommits arrive later', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    engine.onTimeout({ step: 'propose', height: 1, round: 0 });
    engine.onTimeout({ step: 'prevote', height: 1, round: 0 });
    engine.onTimeout({ step: 'precommit', height: 1, round: 0 });
    expect(engine.round).toBe(1);
    const [decision] = decisionIn(
      feed(
        engine,
        others(me).map((k) => voteBy(k, 'precommit', 0, block)),
      ),
    );
    expect(decision?.round).toBe(0);
  });

  it('does not decide a value it holds no proposal for, nor one the chain rules refuse', () => {
    const block = blockAt(10);
    const unseen = startEngine({ me: null }).engine;
    feed(
      unseen,
      others(null)
        .slice(0, 3)
        .map((k) => voteBy(k, 'precommit', 0, block)),
    );
    expect(unseen.decided).toBe(false);
    const refused = startEngine({ me: null, isValid: () => false }).engine;
    feed(refused, [
      proposal(0, block),
      ...others(null)
        .slice(0, 3)
        .map((k) => voteBy(k, 'precommit', 0, block)),
    ]);
    expect(refused.decided).toBe(false);
  });
});

describe('consensus engine: re-proposals and later rounds (pure)', () => {
  it('a proposer holding a valid value re-proposes it with its valid round (lines 15–16)', () => {
    const me = proposerKey(1);
    const { engine } = startEngine({ me });
    const block = blockAt(10);
    engine.onMessage(proposal(0, block));
    feed(
      engine,
      others(me)
        .slice(0, 2)
        .map((k) => voteBy(k, 'prevote', 0, block)),
    );
    const out = engine.onTimeout({ step: 'precommit', height: 1, round: 0 });
    const sent = out.flatMap((o) =>
      o.type === 'broadcast' && o.message.kind === 'proposal' ? [o.message.proposal] : [],
    );
    expect(sent.map((p) => [p.round, p.validRound, bytesKey(hashOf(p.block))])).toEqual([
      [1, 0, bytesKey(hashOf(block))],
    ]);
  });

  it('prevotes a re-proposal only once the quorum of its valid round is seen (lines 28–33)', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    engine.onTimeout({ step: 'propose', height: 1, round: 0 });
    engine.onTimeout({ step: 'prevote', height: 1, round: 0 });
    engine.onTimeout({ step: 'precommit', height: 1, round: 0 });
    expect(castIn(engine.onMessage(proposal(1, block, { validRound: 0 })))).toEqual([]);
    const [x, y, z] = others(me);
    feed(engine, [voteBy(x!, 'prevote', 0, block), voteBy(y!, 'prevote', 0, block)]);
    expect(engine.step).toBe('propose');
    expect(castIn(engine.onMessage(voteBy(z!, 'prevote', 0, block)))).toEqual([
      cast('prevote', 1, block),
    ]);
  });

  it('moves to a later round when more than the faulty share speaks in it (lines 55–56)', () => {
    const { engine, me } = startEngine({ me: bystander(), timeouts });
    const [x, y] = others(me);
    // One sender (1 of 4) is not more than a third; the same sender again is still one.
    feed(engine, [voteBy(x!, 'prevote', 5, null), voteBy(x!, 'precommit', 5, null)]);
    expect(engine.round).toBe(0);
    const out = engine.onMessage(voteBy(y!, 'prevote', 5, null));
    expect(engine.round).toBe(5);
    expect(scheduledIn(out)).toEqual(['propose h1 r5 150ms']);
  });

  it('a proposal counts its proposer toward the later round too', () => {
    const { engine, me } = startEngine({ me: bystander() });
    engine.onMessage(
      voteBy(
        others(me).find((k) => k !== proposerKey(2))!,
        'prevote',
        2,
        null,
      ),
    );
    engine.onMessage(proposal(2, blockAt(10)));
    expect(engine.round).toBe(2);
  });
});

describe('consensus engine: heights and restarts (pure)', () => {
  it('starts the next height fresh: no lock, no decision, its own proposer', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = blockAt(10);
    feed(engine, [proposal(0, block), ...others(me).map((k) => voteBy(k, 'prevote', 0, block))]);
    feed(
      engine,
      others(me).map((k) => voteBy(k, 'precommit', 0, block)),
    );
    expect(engine.decided).toBe(true);
    engine.nextHeight(2, equalSet);
    expect([engine.height, engine.round, engine.step, engine.decided]).toEqual([
      2,
      0,
      'propose',
      false,
    ]);
    const s = engine.snapshot();
    expect([s.lockedValue, s.lockedRound, s.validValue, s.validRound]).toEqual([
      null,
      -1,
      null,
      -1,
    ]);
  });

  it('follows the next height’s validator set', () => {
    const { engine } = startEngine({ me: bystander() });
    const [kept, ...dropped] = equalSet.validators;
    const alone = { validators: [kept!], threshold: equalSet.threshold };
    engine.nextHeight(2, alone);
    const dropper = others(null).find(
      (k) => bytesKey(k.publicKey) === bytesKey(dropped[0]!.publicKey),
    )!;
    expect(engine.onMessage(voteBy(dropper, 'prevote', 0, null, 2))).toEqual([
      {
        type: 'rejected',
        reason: 'vote from a key that is not a validator',
        from: dropper.publicKey,
      },
    ]);
  });

  it('a restarted validator resumes its round, step and lock, and waits out that step', () => {
    const { engine, me } = startEngine({ me: bystander(), timeouts });
    const block = blockAt(10);
    feed(engine, [
      proposal(0, block),
      ...others(me)
        .slice(0, 2)
        .map((k) => voteBy(k, 'prevote', 0, block)),
    ]);
    const saved = engine.snapshot();
    for (const [step, expected] of [
      ['propose', 'propose h1 r0 100ms'],
      ['prevote', 'prevote h1 r0 200ms'],
      ['precommit', 'precommit h1 r0 300ms'],
    ] as const) {
      const restarted = startEngine({ me, timeouts, restore: { ...saved, step } });
      expect(scheduledIn(restarted.outputs)).toEqual([expected]);
      expect(castIn(restarted.outputs)).toEqual([]);
      expect(restarted.engine.snapshot()).toEqual({ ...saved, step });
    }
    // A snapshot of another height is not this height's state.
    const other = startEngine({ me, timeouts, restore: { ...saved, height: 7 } });
    expect(other.engine.snapshot().lockedRound).toBe(-1);
    expect(scheduledIn(other.outputs)).toEqual(['propose h1 r0 100ms']);
  });
});

describe('consensus engine: the rules as functions (pure)', () => {
  it('prevotes a fresh proposal when unlocked or locked on it (line 23)', () => {
    const rule = (valid: boolean, lockedRound: number, matches: boolean) =>
      tendermintPrevoteRule({ valid, lockedRound, lockedValueMatches: matches, validRound: -1 });
    expect([rule(true, -1, false), rule(true, 0, true), rule(true, 0, false)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(rule(false, -1, false)).toBe(false);
  });

  it('prevotes a re-proposal when locked no later than its valid round or on it (line 29)', () => {
    const rule = (valid: boolean, lockedRound: number, matches: boolean) =>
      tendermintPrevoteRule({ valid, lockedRound, lockedValueMatches: matches, validRound: 2 });
    expect([rule(true, 2, false), rule(true, 3, false), rule(true, 3, true)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(rule(false, 1, true)).toBe(false);
  });

  it('the faulty share a threshold tolerates is min(2t − 1, 1 − t), never below zero', () => {
    expect(faultyShare({ numerator: 2, denominator: 3 })).toEqual({ numerator: 1, denominator: 3 });
    expect(faultyShare({ numerator: 3, denominator: 4 })).toEqual({ numerator: 1, denominator: 4 });
    expect(faultyShare({ numerator: 3, denominator: 5 })).toEqual({ numerator: 1, denominator: 5 });
    expect(faultyShare({ numerator: 1, denominator: 3 })).toEqual({ numerator: 0, denominator: 3 });
  });
});
