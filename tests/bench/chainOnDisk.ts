// A long chain written to a headless node's SQLite store, for the catch-up benchmarks: every
// block carries real signed transfers and a real certificate from 3 of its 4 validators, and
// its state root is what executing it gives. Building it signs with node:crypto (OpenSSL) and
// skips re-verifying its own signatures: the catch-up under test verifies, the fixture only
// needs to be right.
import { createPrivateKey, sign as osslSign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBlock, executeBlock } from '../../src/chain/applyBlock';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../../src/chain/block';
import type { BlockCommit } from '../../src/chain/ChainStore';
import { ChainState } from '../../src/chain/ChainState';
import { chainIdOf, createGenesis, type Genesis } from '../../src/chain/genesis';
import { signTransaction, type SignedTransaction } from '../../src/chain/transaction';
import { signVote } from '../../src/chain/vote';
import { encode } from '../../src/codec/cbor';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';
import { testKey, type TestKey } from '../helpers/chainFixture';

/** An OpenSSL signer for a test key: the same Ed25519 signature, several times faster to make. */
function fastSigner(key: TestKey): (message: Uint8Array) => Uint8Array {
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  const prefix = Uint8Array.from([
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
  ]);
  const der = new Uint8Array([...prefix, ...key.secretKey]);
  const keyObject: KeyObject = createPrivateKey({
    key: Buffer.from(der),
    format: 'der',
    type: 'pkcs8',
  });
  return (message) => new Uint8Array(osslSign(null, message, keyObject));
}

export interface ChainOnDisk {
  genesis: Genesis;
  genesisFile: string;
  dataDir: string;
  height: number;
}

/**
 * Writes `height` blocks of `perBlock` transfers into `dir`/node/store.sqlite, with the genesis
 * beside it, ready for `freehold node --data dir/node --genesis dir/genesis.cbor`.
 */
export async function buildChainOnDisk(
  dir: string,
  height: number,
  perBlock: number,
): Promise<ChainOnDisk> {
  const validators = [0, 1, 2, 3].map((i) => testKey(`catch-up validator ${i}`));
  const senders = Array.from({ length: perBlock * 2 }, (_, i) => testKey(`catch-up sender ${i}`));
  const genesis = createGenesis({
    name: 'Catch-up bench',
    genesisTime: 1_790_000_000_000,
    validators: validators.map((v) => ({ key: v.publicKey, power: 1, name: v.name })),
    assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
    balances: senders.map((s) => ({ account: s.publicKey, asset: 'COIN', amount: 10n ** 12n })),
  });
  const chainId = chainIdOf(genesis);
  const signers = new Map([...validators, ...senders].map((k) => [k, fastSigner(k)]));
  const dataDir = join(dir, 'node');
  mkdirSync(dataDir, { recursive: true });
  const genesisFile = join(dir, 'genesis.cbor');
  writeFileSync(genesisFile, encode(genesis));

  const { state, diff: genesisDiff } = ChainState.fromGenesis(genesis);
  const store = createSqliteChainStore(join(dataDir, 'store.sqlite'));
  await store.addChain({ chainId, genesis, role: 'full', label: '', joinedAt: 0 }, genesisDiff);

  const nonces = new Map<TestKey, number>();
  const certify = (header: BlockHeader): CommitCertificate => {
    const blockHash = blockHashOf(header);
    // 3 of 4: the threshold, as a certificate usually arrives.
    const signatures = validators.slice(0, 3).map((key) => {
      const vote = signVote(
        chainId,
        { type: 'precommit', height: header.height, round: 0, blockHash },
        key.publicKey,
        signers.get(key)!,
      );
      return { validator: vote.validator, signature: vote.signature };
    });
    return { height: header.height, round: 0, blockHash, signatures };
  };

  let head: BlockHeader | null = null;
  let lastCommit: CommitCertificate | null = null;
  let batch: BlockCommit[] = [];
  for (let h = 1; h <= height; h++) {
    const candidates: SignedTransaction[] = [];
    for (let i = 0; i < perBlock; i++) {
      const from = senders[(h * perBlock + i) % senders.length]!;
      const to = senders[(h * perBlock + i + 1) % senders.length]!;
      const nonce = nonces.get(from) ?? 0;
      nonces.set(from, nonce + 1);
      candidates.push(
        signTransaction(
          {
            chainId,
            sender: from.publicKey,
            nonce,
            body: { kind: 'transfer', asset: 'COIN', to: to.publicKey, amount: 1n },
          },
          signers.get(from)!,
        ),
      );
    }
    const proposer = validators[h % validators.length]!;
    const { block } = buildBlock(state, {
      parent: head,
      time: genesis.genesisTime + h * 1000,
      proposer: proposer.publicKey,
      candidates,
      lastCommit,
      verifySignature: () => true,
    });
    if (block.transactions.length !== perBlock) throw new Error(`block ${h} lost transactions`);
    const diff = executeBlock(state, block, head, {
      verifyLastCommit: () => undefined,
      verifySignature: () => true,
    });
    head = block.header;
    lastCommit = certify(head);
    batch.push({ block, blockHash: blockHashOf(head), diff, certificate: lastCommit });
    if (batch.length === 500 || h === height) {
      await store.commitBlocks(chainId, batch);
      batch = [];
    }
  }
  await store.close();
  return { genesis, genesisFile, dataDir, height };
}
