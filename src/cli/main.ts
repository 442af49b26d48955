/**
 * @module cli/main — the command line. For now one command, `demo`: it founds a small chain in
 * memory with real keys and signatures, commits a few blocks, and checks a balance by proof —
 * the foundation working end to end. The headless node (`node`) comes with the network work.
 */
import { executeBlock, buildBlock } from '../chain/applyBlock';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../chain/block';
import { ChainState } from '../chain/ChainState';
import { chainLabel, createGenesis } from '../chain/genesis';
import { entryName, stateKeyOf, stateValueHash } from '../chain/stateEntries';
import { verifyStateProof } from '../chain/sparseMerkleTree';
import { signTransaction, type SignedTransaction } from '../chain/transaction';
import { signVote } from '../chain/vote';
import { verifyCommit } from '../consensus/verifyCommit';
import { createKeyVault, type VaultStorage } from '../crypto/keyVault';
import type { SealedVault } from '../crypto/vault';
import { createMemoryChainStore } from '../store/createMemoryChainStore';

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
  say('\nThe wallet app and the network node are not built yet; see the README.');
  if (!ok) process.exitCode = 1;
}

const command = process.argv[2] ?? 'demo';
if (command === 'demo') {
  await demo();
} else {
  process.stderr.write(`Unknown command "${command}". Commands: demo\n`);
  process.exitCode = 2;
}
