/**
 * @module cli/main — the command line:
 * - `demo` founds a small chain in memory with real keys and signatures, commits a few blocks,
 *   and checks a balance by proof: the foundation working end to end;
 * - `start` serves the wallet app with a household node beside it (cli/startWallet);
 * - `node` runs the headless node (cli/headlessNode);
 * - `genesis` writes a chain's genesis file; `invite` prints the invite to a chain (its genesis
 *   and peers to start from); `key` creates a key file and prints its did:key.
 */
import { executeBlock, buildBlock } from '../chain/applyBlock';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../chain/block';
import { ChainState } from '../chain/ChainState';
import { chainLabel, createGenesis, readGenesis } from '../chain/genesis';
import { entryName, stateKeyOf, stateValueHash } from '../chain/stateEntries';
import { verifyStateProof } from '../chain/sparseMerkleTree';
import { signTransaction, type SignedTransaction } from '../chain/transaction';
import { signVote } from '../chain/vote';
import { verifyCommit } from '../consensus/verifyCommit';
import { createKeyVault, type VaultStorage } from '../crypto/keyVault';
import type { SealedVault } from '../crypto/vault';
import { createMemoryChainStore } from '../store/createMemoryChainStore';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decode, encode } from '../codec/cbor';
import { hexToBytes } from '../crypto/bytes';
import { toDidKey } from '../crypto/didKey';
import { getPublicKey } from '../crypto/ed25519';
import { encodeInvite } from '../node/invite';
import { loadOrCreateKeyFile, runHeadlessNode } from './headlessNode';
import { runStart } from './startWallet';

function memoryVaultStorage(): VaultStorage {
  let sealed: SealedVault | undefined;
  return {
    load: () => Promise.resolve(sealed),
    save: (v) => Promise.resolve(void (sealed = v)),
    clear: () => Promise.resolve(void (sealed = undefined)),
  };
}

const say = (line: string): void => void process.stdout.write(line + '\n');

async function demo(): Promise<void> {
  say('Freehold demo: a household chain in memory, with real keys and signatures.\n');
  const vault = createKeyVault({ storage: memoryVaultStorage(), now: Date.now });
  await vault.create({ password: 'demo password', strength: 128 });
  await vault.addAccount();
  await vault.addAccount();
  const [kitchen, attic, garden] = vault.accounts();
  if (!kitchen || !attic || !garden) throw new Error('the vault did not open three accounts');
  say(`Identity: ${kitchen.did}`);

  const genesis = createGenesis({
    name: 'Household',
    genesisTime: Date.now(),
    validators: [
      { key: kitchen.did, name: 'Kitchen' },
      { key: attic.did, name: 'Attic' },
    ],
    threshold: { numerator: 1, denominator: 2 },
    assets: [{ symbol: 'CHORE', name: 'Chore points', decimals: 0, minter: kitchen.publicKey }],
    balances: [{ account: kitchen.did, asset: 'CHORE', amount: 100n }],
  });
  const { state, diff } = ChainState.fromGenesis(genesis);
  const store = createMemoryChainStore();
  await store.addChain(
    { chainId: state.chainId, genesis, role: 'validator', label: '', joinedAt: Date.now() },
    diff,
  );
  say(`Chain:    ${chainLabel(genesis, state.chainId)} — both validators must agree (2 of 2)\n`);

  let parent: BlockHeader | null = null;
  let lastCommit: CommitCertificate | null = null;
  let nonce = 0;
  const send = (to: Uint8Array, amount: bigint): SignedTransaction =>
    signTransaction(
      {
        chainId: state.chainId,
        sender: kitchen.publicKey,
        nonce: nonce++,
        body: { kind: 'transfer', asset: 'CHORE', to, amount },
      },
      (m) => vault.sign(kitchen.account, m),
    );
  for (const [to, amount] of [
    [garden.publicKey, 15n],
    [attic.publicKey, 5n],
  ] as const) {
    const { block } = buildBlock(state, {
      parent,
      time: Date.now() + (parent?.height ?? 0),
      proposer: kitchen.publicKey,
      candidates: [send(to, amount)],
      lastCommit,
    });
    const blockDiff = executeBlock(state, block, parent, { verifyLastCommit: verifyCommit });
    const blockHash = blockHashOf(block.header);
    await store.commitBlock(state.chainId, { block, blockHash, diff: blockDiff });
    say(
      `Block ${block.header.height}: ${block.transactions.length} transfer, state root ${Buffer.from(block.header.stateRoot).toString('hex').slice(0, 16)}…`,
    );
    // Both validators precommit the block: its certificate travels in the next block.
    const signatures = [kitchen, attic].map((v) => {
      const vote = signVote(
        state.chainId,
        { type: 'precommit', height: block.header.height, round: 0, blockHash },
        v.publicKey,
        (m) => vault.sign(v.account, m),
      );
      return { validator: vote.validator, signature: vote.signature };
    });
    lastCommit = { height: block.header.height, round: 0, blockHash, signatures };
    parent = block.header;
  }

  const proof = state.prove(entryName.balance(garden.publicKey, 'CHORE'));
  const ok =
    proof.value !== null &&
    verifyStateProof(
      parent!.stateRoot,
      stateKeyOf(proof.name),
      stateValueHash(proof.value),
      proof.proof,
    );
  say(
    `\nGarden holds ${state.balance(garden.publicKey, 'CHORE')} CHORE — proven against block ${parent!.height}'s state root: ${ok ? 'yes' : 'NO'}`,
  );
  say('\nTo try the wallet on a 4-validator demo chain with demo coins: `npm run demo`.');
  say('To run a validator or full node on a household device: `npm run node` (see the README).');
  if (!ok) process.exitCode = 1;
}

/** `freehold genesis`: writes a chain's genesis file from validators' did:keys and balances. */
function writeGenesisFile(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      validator: { type: 'string', multiple: true },
      balance: { type: 'string', multiple: true },
      asset: { type: 'string', default: 'COIN' },
      out: { type: 'string' },
    },
  });
  if (!values.name || !values.validator || !values.out) {
    process.stderr.write(
      'freehold genesis --name NAME --validator DID[:POWER]... [--balance DID:AMOUNT]... [--asset SYMBOL] --out FILE\n',
    );
    process.exitCode = 2;
    return;
  }
  const genesis = createGenesis({
    name: values.name,
    genesisTime: Date.now(),
    validators: values.validator.map((v) => {
      const [key, power] = splitDid(v);
      return { key, power: Number(power ?? 1) };
    }),
    assets: [{ symbol: values.asset, name: values.asset, decimals: 0, minter: null }],
    balances: (values.balance ?? []).map((b) => {
      const [account, amount] = splitDid(b);
      return { account, asset: values.asset, amount: BigInt(amount ?? '0') };
    }),
  });
  writeFileSync(values.out, encode(genesis));
  say(`${chainLabel(genesis)} → ${values.out}`);
}

/** `freehold invite --genesis FILE --peer ADDR…`: prints the invite others join with. */
function printInvite(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { genesis: { type: 'string' }, peer: { type: 'string', multiple: true } },
  });
  if (!values.genesis) {
    process.stderr.write('freehold invite --genesis FILE [--peer MULTIADDR/p2p/ID]...\n');
    process.exitCode = 2;
    return;
  }
  try {
    const genesis = readGenesis(decode(readFileSync(values.genesis)));
    say(encodeInvite({ genesis, peers: values.peer ?? [] }));
  } catch (error) {
    process.stderr.write(`freehold invite: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

/** "did:key:z…:5" → ["did:key:z…", "5"]. */
function splitDid(value: string): [string, string | undefined] {
  const i = value.lastIndexOf(':');
  const tail = value.slice(i + 1);
  return /^\d+$/.test(tail) ? [value.slice(0, i), tail] : [value, undefined];
}

/** `freehold key --key FILE`: creates the key file if absent and prints its did:key. */
async function showKey(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { key: { type: 'string' } } });
  if (!values.key) {
    process.stderr.write('freehold key --key FILE\n');
    process.exitCode = 2;
    return;
  }
  const file = await loadOrCreateKeyFile(values.key);
  say(toDidKey(getPublicKey(hexToBytes(file.secretKey))));
}

const [command = 'demo', ...rest] = process.argv.slice(2);
switch (command) {
  case 'demo':
    await demo();
    break;
  case 'node':
    await runHeadlessNode(rest);
    break;
  case 'start':
    await runStart(rest);
    break;
  case 'genesis':
    writeGenesisFile(rest);
    break;
  case 'key':
    await showKey(rest);
    break;
  case 'invite':
    printInvite(rest);
    break;
  default:
    process.stderr.write(
      `Unknown command "${command}". Commands: start, demo, node, genesis, invite, key\n`,
    );
    process.exitCode = 2;
}
