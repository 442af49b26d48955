// What the consensus engine takes from a peer (pure, real signatures, no network): each check
// on a proposal or a vote, broken alone, gets that exact refusal and changes nothing.
import { describe, expect, it } from 'vitest';
import { sign } from '../../src/crypto/ed25519';
import type { ValidatorSet } from '../../src/chain/validatorSet';
import type { ConsensusMessage } from '../../src/consensus/messages';
import {
  blockAt,
  bystander,
  cast,
  castIn,
  equalSet,
  feed,
  hashOf,
  keys,
  others,
  proposal,
  proposerKey,
  rejectedIn,
  scheduledIn,
  startEngine,
  voteBy,
} from './engineFixture';
import { testKey } from '../helpers/chainFixture';

const a = (): ReturnType<typeof blockAt> => blockAt(10);
const b = (): ReturnType<typeof blockAt> => blockAt(20);

describe('consensus engine: proposals it takes (pure)', () => {
  it('prevotes for a well-formed proposal from the round’s proposer', () => {
    const { engine } = startEngine({ me: bystander() });
    const block = a();
    expect(castIn(engine.onMessage(proposal(0, block)))).toEqual([cast('prevote', 0, block)]);
    expect(engine.step).toBe('prevote');
  });

  it('refuses a proposal from a validator whose turn it is not', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const out = engine.onMessage(proposal(0, a(), { from: proposerKey(1) }));
    expect(rejectedIn(out)).toEqual(['proposal from a validator whose turn it is not']);
    expect(castIn(out)).toEqual([]);
    // The real proposer's proposal is still taken afterwards.
    expect(castIn(engine.onMessage(proposal(0, b())))).toEqual([cast('prevote', 0, b())]);
    expect(me).toBeDefined();
  });

  it('refuses a proposal whose valid round is not before its round', () => {
    const { engine } = startEngine({ me: bystander() });
    for (const validRound of [0, 1]) {
      const out = engine.onMessage(proposal(0, a(), { validRound }));
      expect(rejectedIn(out)).toEqual(['proposal with a valid round not before its round']);
      expect(castIn(out)).toEqual([]);
    }
  });

  it('refuses a proposal whose signature covers anything but what it says', () => {
    const forged: ConsensusMessage[] = [
      proposal(0, a(), { signed: { height: 2 } }),
      proposal(0, a(), { signed: { round: 1 } }),
      proposal(0, a(), { signed: { validRound: 0 } }),
      proposal(0, a(), { signed: { block: b() } }),
    ];
    const { engine } = startEngine({ me: bystander() });
    for (const message of forged) {
      const out = engine.onMessage(message);
      expect(rejectedIn(out)).toEqual(['proposal with a bad signature']);
      expect(castIn(out)).toEqual([]);
    }
    expect(engine.step).toBe('propose');
  });

  it('prevotes nil for a block of another height, another chain, or one the chain rules refuse', () => {
    const block = a();
    const otherHeight = { ...block, header: { ...block.header, height: 2 } };
    const otherChain = { ...block, header: { ...block.header, chainId: new Uint8Array(32) } };
    const refused = b();
    for (const bad of [otherHeight, otherChain, refused]) {
      const { engine } = startEngine({
        me: bystander(),
        isValid: (x) => hashOf(x).join() !== hashOf(refused).join(),
      });
      expect(castIn(engine.onMessage(proposal(0, bad)))).toEqual([cast('prevote', 0, null)]);
    }
  });

  it('asks the chain rules about a block once, however often it comes up', () => {
    let asked = 0;
    const { engine, me } = startEngine({
      me: bystander(),
      isValid: () => {
        asked++;
        return true;
      },
    });
    const block = a();
    feed(engine, [proposal(0, block), ...others(me).map((k) => voteBy(k, 'prevote', 0, block))]);
    feed(
      engine,
      others(me).map((k) => voteBy(k, 'precommit', 0, block)),
    );
    expect(engine.decided).toBe(true);
    expect(asked).toBe(1);
  });
});

describe('consensus engine: votes it takes (pure)', () => {
  it('refuses a vote from a key that is not a validator', () => {
    const { engine } = startEngine({ me: bystander() });
    const out = engine.onMessage(voteBy(testKey('outsider'), 'prevote', 0, a()));
    expect(rejectedIn(out)).toEqual(['vote from a key that is not a validator']);
  });

  it('refuses a vote whose signature does not verify, and does not count it', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = a();
    engine.onMessage(proposal(0, block));
    const [first, second, third] = others(me);
    const good = voteBy(first!, 'precommit', 0, block);
    const bad = voteBy(second!, 'precommit', 0, block) as Extract<
      ConsensusMessage,
      { kind: 'vote' }
    >;
    const signature = sign(new Uint8Array([1]), second!.secretKey);
    const out = engine.onMessage({ kind: 'vote', vote: { ...bad.vote, signature } });
    expect(rejectedIn(out)).toEqual(['vote with a bad signature']);
    // Two good precommits with the refused one would be a quorum; they are not.
    feed(engine, [good, voteBy(third!, 'precommit', 0, block)]);
    expect(engine.decided).toBe(false);
  });

  it('counts the same vote received twice once', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = a();
    engine.onMessage(proposal(0, block));
    const [first, second] = others(me);
    const repeated = voteBy(first!, 'precommit', 0, block);
    const out = feed(engine, [
      repeated,
      repeated,
      repeated,
      voteBy(second!, 'precommit', 0, block),
    ]);
    expect(out).toEqual([]);
    expect(engine.decided).toBe(false);
  });

  it('turns a second, different vote for the same slot into evidence, earlier vote first', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const signer = others(me)[0]!;
    const first = voteBy(signer, 'prevote', 0, a());
    const second = voteBy(signer, 'prevote', 0, b());
    engine.onMessage(first);
    const out = engine.onMessage(second);
    const evidence = out.flatMap((o) => (o.type === 'evidence' ? [o.evidence] : []));
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.voteA).toEqual((first as { vote: unknown }).vote);
    expect(evidence[0]!.voteB).toEqual((second as { vote: unknown }).vote);
    // A prevote and a precommit for different values are not a double vote.
    expect(engine.onMessage(voteBy(signer, 'precommit', 0, null))).toEqual([]);
  });

  it("keeps at most three values of one signer's votes for one slot", () => {
    const { engine, me } = startEngine({ me: bystander() });
    const signer = others(me)[0]!;
    const values = [a(), b(), blockAt(30), blockAt(40)];
    const evidence = values.map(
      (v) =>
        engine.onMessage(voteBy(signer, 'prevote', 0, v)).filter((o) => o.type === 'evidence')
          .length,
    );
    expect(evidence).toEqual([0, 1, 1, 0]);
  });

  it('weighs votes by power, not by count', () => {
    // p holds 5 of 8: p and one other (6 of 8) pass 2/3; any three without p (3 of 8) do not.
    const [p, ...rest] = keys;
    const weighted: ValidatorSet = {
      validators: equalSet.validators.map((v) =>
        v.publicKey === p!.publicKey ? { ...v, power: 5 } : v,
      ),
      threshold: equalSet.threshold,
    };
    const block = a();
    const decides = (signers: typeof keys): boolean => {
      const { engine } = startEngine({ me: null, validators: weighted });
      const proposer = proposerKey(0, weighted);
      engine.onMessage(proposal(0, block, { from: proposer, set: weighted }));
      feed(
        engine,
        signers.map((k) => voteBy(k, 'precommit', 0, block)),
      );
      return engine.decided;
    };
    expect(decides(rest)).toBe(false);
    expect(decides([p!, rest[0]!])).toBe(true);
  });

  it('refuses a message more than 1000 rounds ahead, and keeps one exactly 1000 ahead', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const signer = others(me)[0]!;
    expect(rejectedIn(engine.onMessage(voteBy(signer, 'prevote', 1001, null)))).toEqual([
      'message too many rounds ahead',
    ]);
    expect(engine.onMessage(voteBy(signer, 'prevote', 1000, null))).toEqual([]);
    // The kept one counts: a second sender for round 1000 is f+1 and moves the engine there.
    engine.onMessage(voteBy(others(me)[1]!, 'prevote', 1000, null));
    expect(engine.round).toBe(1000);
  });
});

describe('consensus engine: messages for other heights (pure)', () => {
  it('keeps the next height’s messages until it gets there, and drops older and later ones', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const signers = others(me);
    const next = signers.map((k) => voteBy(k, 'precommit', 0, null, 2));
    expect(feed(engine, next)).toEqual([]);
    expect(
      feed(
        engine,
        signers.map((k) => voteBy(k, 'prevote', 0, null, 3)),
      ),
    ).toEqual([]);
    expect(engine.onMessage(voteBy(signers[0]!, 'prevote', 0, null, 0))).toEqual([]);
    const out = engine.nextHeight(2, equalSet);
    // The three kept precommits are a quorum at height 2: the precommit timeout starts (47).
    expect(scheduledIn(out)).toEqual(['propose h2 r0 1000ms', 'precommit h2 r0 500ms']);
    expect(engine.height).toBe(2);
  });

  it('keeps at most 4096 messages for the next height', () => {
    const { engine } = startEngine({ me: bystander() });
    const outsider = testKey('future-outsider');
    const message = voteBy(outsider, 'prevote', 0, null, 2);
    for (let i = 0; i < 4100; i++) engine.onMessage(message);
    // Replayed at height 2, each kept one is refused (its signer is no validator): 4096 of them.
    expect(rejectedIn(engine.nextHeight(2, equalSet))).toHaveLength(4096);
  });

  it('ignores everything once the height is decided', () => {
    const { engine, me } = startEngine({ me: bystander() });
    const block = a();
    feed(engine, [proposal(0, block), ...others(me).map((k) => voteBy(k, 'precommit', 0, block))]);
    expect(engine.decided).toBe(true);
    expect(engine.onMessage(voteBy(testKey('late-outsider'), 'prevote', 0, null))).toEqual([]);
    expect(engine.onTimeout({ step: 'precommit', height: 1, round: 0 })).toEqual([]);
    expect(engine.round).toBe(0);
  });
});
