// State-root update: 1,000 changed accounts in a state of 100,000, through ChainState.commit
// (entry encoding, value hashing and the tree), with the raw tree update beside it.
import { ChainState } from '../../src/chain/ChainState';
import { createGenesis } from '../../src/chain/genesis';
import { SparseMerkleTree } from '../../src/chain/sparseMerkleTree';
import { sha256 } from '../../src/crypto/hash';
import { median, report, round } from './report';
import { testKey } from '../helpers/chainFixture';

const SIZE = 100_000;
const CHANGED = 1_000;
const WARMUP = 5;
const RUNS = 10;

function account(i: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i);
  return sha256(b); // any 32 bytes name an account; balances need no valid key
}

function accountsBench(): void {
  const accounts = Array.from({ length: SIZE }, (_, i) => account(i));
  const validator = testKey('bench-validator');
  const t0 = performance.now();
  const genesis = createGenesis({
    name: 'Bench',
    genesisTime: 0,
    validators: [{ key: validator.publicKey }],
    assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
    balances: accounts.map((a) => ({ account: a, asset: 'COIN', amount: 1_000n })),
  });
  const { state } = ChainState.fromGenesis(genesis);
  const genesisMs = performance.now() - t0;
  const times: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const txn = state.begin(run + 1, run + 1);
    for (let i = 0; i < CHANGED; i++) {
      const a = accounts[(i * 7919 + run * 104_729) % SIZE]!;
      // As a transfer changes its sender: the nonce and the balance, two entries.
      txn.setAccount(a, { nonce: txn.account(a).nonce + 1 });
      txn.setBalance(a, 'COIN', txn.balance(a, 'COIN') + 1n);
    }
    const start = performance.now();
    state.commit(txn);
    times.push(performance.now() - start);
  }
  report({
    bench: 'state.root.update.accounts',
    value: round(median(times.slice(WARMUP))),
    unit: 'ms',
    accounts: SIZE,
    changed: CHANGED,
    runs: RUNS,
    entries_changed: 2 * CHANGED,
    includes: 'entry encoding, value hashes, tree update, diff for the store',
    genesis_100k_ms: round(genesisMs),
    target_ms: 100,
  });
}

function treeBench(): void {
  const keys = Array.from({ length: SIZE }, (_, i) => account(i));
  const tree = new SparseMerkleTree();
  tree.update(keys.map((k) => ({ key: k, valueHash: sha256(k) })));
  tree.takeNewNodes();
  const times: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const changes = Array.from({ length: CHANGED }, (_, i) => ({
      key: keys[(i * 7919 + run * 104_729) % SIZE]!,
      valueHash: sha256(new Uint8Array([run, i & 255, i >> 8])),
    }));
    const t0 = performance.now();
    tree.update(changes);
    times.push(performance.now() - t0);
    tree.takeNewNodes();
  }
  report({
    bench: 'state.root.update.tree',
    value: round(median(times.slice(WARMUP))),
    unit: 'ms',
    keys: SIZE,
    changed: CHANGED,
    runs: RUNS,
  });
}

export function stateRootBenches(): void {
  accountsBench();
  treeBench();
}
