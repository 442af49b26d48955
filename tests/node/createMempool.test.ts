// The mempool's admission rules, one at a time: each refused input is valid in every way but
// the one the rule is about. Pure: a chain state in memory, a clock passed in.
import { describe, expect, it } from 'vitest';
import { verifyTransactionSignature, type TxBody } from '../../src/chain/transaction';
import {
  createMempool,
  MempoolRefusedError,
  type AdmitContext,
  type MempoolLimits,
} from '../../src/node/mempool';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';

const [alice, bob, carol] = ['pool alice', 'pool bob', 'pool carol'].map(testKey) as [
  TestKey,
  TestKey,
  TestKey,
];
const LIMITS: MempoolLimits = {
  maxSize: 6,
  maxFree: 3,
  maxPerSender: 3,
  maxPerPeer: 4,
  ttlMs: 1000,
  freePerAccount: 2,
  freeWindowMs: 1000,
};
const T0 = 1_800_000_000_000;

function setup(limits: MempoolLimits = LIMITS) {
  const chain = new TestChain(
    testGenesis([alice], {
      balances: [
        { account: alice.publicKey, asset: 'COIN', amount: 1000n },
        { account: carol.publicKey, asset: 'COIN', amount: 10n },
      ],
    }),
    alice,
  );
  const pool = createMempool(limits);
  const ctx = (from: string | null = 'peer-a', now = T0): AdmitContext => ({
    state: chain.state,
    now,
    from,
    verifySignature: verifyTransactionSignature,
  });
  const pay = (from: TestKey, nonce: number, amount = 1n) =>
    chain.tx(from, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount }, nonce);
  let records = 0;
  const record = (from: TestKey, nonce: number) =>
    chain.tx(
      from,
      {
        kind: 'registerRecord',
        recordId: `rec-${records++}`,
        contentHash: new Uint8Array(32),
        metadata: {},
      } satisfies TxBody,
      nonce,
    );
  return { chain, pool, ctx, pay, record };
}

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MempoolRefusedError) return error.reason;
    return (error as Error).name;
  }
  return 'held';
}

describe('A2: mempool admission', () => {
  it('A2: holds a transaction that applies, once', () => {
    const { pool, ctx, pay } = setup();
    const tx = pay(alice, 0);
    expect(refusal(() => pool.admit(tx, ctx()))).toBe('held');
    expect(refusal(() => pool.admit(tx, ctx()))).toBe('duplicate');
    expect(pool.size).toBe(1);
  });

  it('A2: refuses a nonce the account has passed', () => {
    const { chain, pool, ctx, pay } = setup();
    chain.commit([pay(alice, 0)]);
    expect(refusal(() => pool.admit(pay(alice, 0, 2n), ctx()))).toBe('stale');
    expect(refusal(() => pool.admit(pay(alice, 1), ctx()))).toBe('held');
  });

  it('A2: refuses a second transaction for a nonce already held', () => {
    const { pool, ctx, pay } = setup();
    pool.admit(pay(alice, 0), ctx());
    expect(refusal(() => pool.admit(pay(alice, 0, 2n), ctx()))).toBe('nonceTaken');
  });

  it('A2: a follow-up is held only after what it follows', () => {
    const { pool, ctx, pay } = setup();
    expect(refusal(() => pool.admit(pay(alice, 1), ctx()))).toBe('gap');
    pool.admit(pay(alice, 0), ctx());
    expect(refusal(() => pool.admit(pay(alice, 1), ctx()))).toBe('held');
  });

  it('A2: a follow-up is held only if the whole sequence applies with it', () => {
    const { pool, ctx, pay } = setup();
    pool.admit(pay(carol, 0, 7n), ctx()); // carol holds 10
    expect(refusal(() => pool.admit(pay(carol, 1, 7n), ctx()))).toBe('doesNotApply');
    expect(refusal(() => pool.admit(pay(carol, 1, 3n), ctx()))).toBe('held');
  });

  it('A2: refuses a nonce too far ahead of the account (the sender quota)', () => {
    const { pool, ctx, pay } = setup();
    for (let n = 0; n < 3; n++) pool.admit(pay(alice, n), ctx(`peer-${n}`));
    // Nonce 3 follows what is held, but three are waiting already.
    expect(refusal(() => pool.admit(pay(alice, 3), ctx('peer-9')))).toBe('tooFarAhead');
    expect(pool.size).toBe(3);
  });

  it('A2: one peer brings in at most its quota; its own submissions are never refused for it', () => {
    const { pool, ctx, record } = setup({ ...LIMITS, maxPerPeer: 2, maxFree: 6 });
    pool.admit(record(testKey('q1'), 0), ctx('peer-a'));
    pool.admit(record(testKey('q2'), 0), ctx('peer-a'));
    expect(refusal(() => pool.admit(record(testKey('q3'), 0), ctx('peer-a')))).toBe('peerQuota');
    expect(refusal(() => pool.admit(record(testKey('q3'), 0), ctx('peer-b')))).toBe('held');
    expect(refusal(() => pool.admit(record(testKey('q4'), 0), ctx(null)))).toBe('held');
  });

  it('A2: free kinds are rate-limited per account, and the limit passes with time', () => {
    const { pool, ctx, record } = setup({ ...LIMITS, maxFree: 6, maxPerPeer: 6 });
    pool.admit(record(carol, 0), ctx('peer-a', T0));
    pool.admit(record(carol, 1), ctx('peer-a', T0 + 1));
    expect(refusal(() => pool.admit(record(carol, 2), ctx('peer-a', T0 + 2)))).toBe('freeRate');
    expect(refusal(() => pool.admit(record(carol, 2), ctx('peer-a', T0 + 1001)))).toBe('held');
  });

  it('A2: free kinds have a bounded share; a transfer still finds room', () => {
    const { pool, ctx, record, pay } = setup();
    for (let i = 0; i < 3; i++) pool.admit(record(testKey(`share ${i}`), 0), ctx(`peer-${i}`));
    expect(pool.freeSize).toBe(3);
    expect(refusal(() => pool.admit(record(testKey('share 3'), 0), ctx('peer-9')))).toBe(
      'freeShare',
    );
    expect(refusal(() => pool.admit(pay(alice, 0), ctx('peer-9')))).toBe('held');
  });

  it('A2: with the free share full, a free transaction from a peer holding few takes the place of one from the peer holding most', () => {
    const { pool, ctx, record } = setup({ ...LIMITS, maxSize: 8, maxFree: 3, maxPerPeer: 8 });
    for (let i = 0; i < 3; i++) pool.admit(record(testKey(`flood ${i}`), 0), ctx('flooder'));
    const honest = record(testKey('a village clerk'), 0);
    expect(refusal(() => pool.admit(honest, ctx('neighbour')))).toBe('held');
    expect(pool.has(honest)).toBe(true);
    expect(pool.freeSize).toBe(3);
    // The flooder now holds 2, the neighbour 1: one more from the neighbour does not displace.
    expect(refusal(() => pool.admit(record(testKey('second clerk'), 0), ctx('neighbour')))).toBe(
      'freeShare',
    );
  });

  it('A2: a full pool evicts junk for a transfer, and refuses more junk', () => {
    const { pool, ctx, record, pay } = setup({ ...LIMITS, maxSize: 3, maxFree: 3 });
    for (let i = 0; i < 3; i++) pool.admit(record(testKey(`full ${i}`), 0), ctx('peer-a'));
    expect(pool.size).toBe(3);
    const transfer = pay(alice, 0);
    expect(refusal(() => pool.admit(transfer, ctx('peer-b')))).toBe('held');
    expect(pool.size).toBe(3);
    expect(pool.has(transfer)).toBe(true);
    expect(pool.freeSize).toBe(2);
    pool.admit(pay(alice, 1), ctx('peer-b'));
    pool.admit(pay(alice, 2), ctx('peer-b'));
    expect(refusal(() => pool.admit(record(testKey('full 9'), 0), ctx('peer-c')))).toBe('full');
    expect(refusal(() => pool.admit(pay(carol, 0), ctx('peer-c')))).toBe('full');
  });

  it('A2: a bad signature is the sender’s fault, refused as such', () => {
    const { pool, ctx, pay } = setup();
    const tx = pay(alice, 0);
    const forged = { ...tx, signature: tx.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(refusal(() => pool.admit(forged, ctx()))).toBe('BadSignatureError');
    expect(pool.size).toBe(0);
  });

  it('A2: peers’ transactions expire; this node’s own stay', () => {
    const { chain, pool, ctx, pay, record } = setup({ ...LIMITS, maxFree: 6 });
    pool.admit(pay(alice, 0), ctx('peer-a', T0));
    pool.admit(pay(alice, 1), ctx('peer-a', T0 + 500));
    pool.admit(record(carol, 0), ctx(null, T0));
    pool.prune(chain.state, T0 + 999);
    expect(pool.size).toBe(3);
    pool.prune(chain.state, T0 + 1000);
    // Alice's first expired, and the one that follows it went with it.
    expect(pool.size).toBe(1);
    expect(pool.candidates().map((t) => t.tx.sender)).toEqual([carol.publicKey]);
  });

  it('A2: what a block builder found invalid is evicted; what a block took is pruned', () => {
    const { chain, pool, ctx, pay } = setup();
    const a0 = pay(alice, 0);
    const c0 = pay(carol, 0, 5n);
    pool.admit(a0, ctx());
    pool.admit(c0, ctx());
    pool.evict([c0]);
    expect(pool.has(c0)).toBe(false);
    chain.commit([a0]);
    pool.prune(chain.state, T0);
    expect(pool.size).toBe(0);
  });

  it('A2: candidates keep each sender in nonce order, value-moving ones first at each step', () => {
    const { pool, ctx, pay, record } = setup({ ...LIMITS, maxPerPeer: 6 });
    const c0 = record(carol, 0);
    const c1 = pay(carol, 1, 1n);
    const a0 = pay(alice, 0);
    const a1 = pay(alice, 1);
    pool.admit(c0, ctx());
    pool.admit(c1, ctx());
    pool.admit(a0, ctx());
    pool.admit(a1, ctx());
    expect(pool.candidates()).toEqual([a0, c0, c1, a1]);
    expect(pool.nextNonce(alice.publicKey, 0)).toBe(2);
    expect(pool.nextNonce(bob.publicKey, 0)).toBe(0);
  });
});
