// The wallet facade over real parts in Node: the key vault with WebCrypto, the node on a real
// libp2p network on loopback, the memory chain store and the memory wallet records. Two wallets:
// one founds a chain and pays, the other joins by invite and sees the payment arrive.
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyVault, type VaultStorage } from '../../src/crypto/keyVault';
import { nobleVerifier } from '../../src/crypto/ed25519';
import type { SealedVault } from '../../src/crypto/vault';
import { createNode } from '../../src/node/createNode';
import { createWallet, recipientKey, type Wallet } from '../../src/node/createWallet';
import { createMemoryWalletStore, type WalletStore } from '../../src/node/WalletStore';
import { createGenesis } from '../../src/chain/genesis';
import { encodeInvite } from '../../src/node/invite';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const PASSWORD = 'correct horse battery';

function memoryVaultStorage(): VaultStorage {
  let sealed: SealedVault | undefined;
  return {
    load: () => Promise.resolve(sealed),
    save: (v) => Promise.resolve(void (sealed = v)),
    clear: () => Promise.resolve(void (sealed = undefined)),
  };
}

const open: Wallet[] = [];

/** What a device keeps across reloads: the vault and the wallet's records. */
interface Device {
  vault: VaultStorage;
  records: WalletStore;
}
const newDevice = (): Device => ({
  vault: memoryVaultStorage(),
  records: createMemoryWalletStore(),
});

/** A wallet whose chain store outlives lock and unlock, as IndexedDB does. */
function testWallet(device: Device = newDevice()): Wallet {
  const chains = createMemoryChainStore();
  const wallet = createWallet({
    vault: createKeyVault({ storage: device.vault, now: Date.now }),
    records: device.records,
    async openNode({ onEvent }) {
      const network = await loopbackNetwork();
      // The chain store survives the node: closing is a no-op for the memory one.
      const store = { ...chains, close: () => Promise.resolve() };
      const node = createNode({
        store,
        network,
        verifier: nobleVerifier,
        blockIntervalMs: 50,
        onEvent,
      });
      return { node, networkKey: new Uint8Array([1]) };
    },
    wipeStorage: () => Promise.resolve(),
    relays: [],
    now: Date.now,
  });
  open.push(wallet);
  return wallet;
}

async function until<T>(what: string, read: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(async () => {
  for (const w of open.splice(0)) if (w.view().running) await w.lock();
});

describe('wallet facade (memory store, loopback libp2p)', () => {
  it('founds a chain, pays a second wallet that joins by invite, and both see it', async () => {
    const alice = testWallet();
    const bob = testWallet();
    await alice.load();
    const { mnemonic } = await alice.create(PASSWORD);
    expect(mnemonic.split(' ')).toHaveLength(24);
    await bob.load();
    await bob.create(PASSWORD);
    const aliceDid = alice.view().accounts[0]!.did;
    const bobDid = bob.view().accounts[0]!.did;

    const chainId = await alice.found({
      name: 'Kitchen table',
      validators: [{ key: aliceDid, name: 'Alice laptop' }],
      assets: [{ symbol: 'COIN', name: 'Coin', decimals: 2, minter: null }],
      balances: [{ account: aliceDid, asset: 'COIN', amount: 10_000n }],
    });
    const founded = alice.view().chains[0]!;
    expect(founded.role).toBe('validator');
    expect(founded.name).toBe('Kitchen table');

    await bob.join(alice.invite(chainId));
    expect(bob.view().chains[0]!.role).toBe('full');

    const txId = await alice.submit(chainId, 0, {
      kind: 'transfer',
      asset: 'COIN',
      to: recipientKey(bobDid),
      amount: 1_250n,
    });
    const sent = await until('alice sees it final', () =>
      alice.view().chains[0]!.activity.find((a) => a.txId === txId && a.status === 'final'),
    );
    expect(sent).toMatchObject({
      direction: 'out',
      amount: '1250',
      asset: 'COIN',
      counterparty: bobDid,
    });

    const received = await until('bob sees it', () =>
      bob.view().chains[0]?.activity.find((a) => a.txId === txId),
    );
    expect(received).toMatchObject({ direction: 'in', status: 'final', counterparty: aliceDid });
    expect(bob.view().chains[0]!.holdings).toContainEqual({
      account: 0,
      asset: 'COIN',
      amount: 1_250n,
      pending: 0n,
    });

    // Paying more than the account holds is refused before anything is signed.
    await expect(
      bob.submit(chainId, 0, {
        kind: 'transfer',
        asset: 'COIN',
        to: recipientKey(aliceDid),
        amount: 5_000n,
      }),
    ).rejects.toMatchObject({ name: 'InsufficientFundsError' });

    // Locking stops the node and hides the accounts; unlocking brings the chain back as it was.
    await bob.lock();
    expect(bob.view()).toMatchObject({ vault: 'locked', running: false, chains: [], accounts: [] });
    await expect(bob.unlock('wrong password')).rejects.toMatchObject({
      name: 'WrongPasswordError',
    });
    await bob.unlock(PASSWORD);
    const again = bob.view().chains[0]!;
    expect(again.holdings).toContainEqual({
      account: 0,
      asset: 'COIN',
      amount: 1_250n,
      pending: 0n,
    });
    expect(again.activity.map((a) => a.txId)).toContain(txId);
  });

  it('a validator key restored on a new device catches up from peers before it signs', async () => {
    const alice = testWallet();
    const bob = testWallet();
    await alice.load();
    const { mnemonic } = await alice.create(PASSWORD);
    await bob.load();
    await bob.create(PASSWORD);
    const aliceDid = alice.view().accounts[0]!.did;
    const chainId = await alice.found({
      name: 'Lone validator',
      validators: [{ key: aliceDid }],
      assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
      balances: [{ account: aliceDid, asset: 'COIN', amount: 100n }],
    });
    await bob.join(alice.invite(chainId));
    await alice.submit(chainId, 0, {
      kind: 'transfer',
      asset: 'COIN',
      to: recipientKey(bob.view().accounts[0]!.did),
      amount: 30n,
    });
    await until('bob has it', () => bob.view().chains[0]?.holdings[0]?.amount === 30n);
    const height = bob.view().chains[0]!.status.height;
    await alice.lock(); // the old device is gone

    const carol = testWallet();
    await carol.load();
    await carol.restore(mnemonic, PASSWORD);
    await carol.join(bob.invite(chainId));
    const chain = () => carol.view().chains[0]!;
    expect(chain().role).toBe('validator');
    // It follows bob to his head, then signs new blocks on top of the same history.
    await until(
      'carol signs again',
      () => chain().status.signing && chain().status.height > height + 2,
    );
    expect(chain().holdings[0]).toMatchObject({ asset: 'COIN', amount: 70n });
    await until('bob follows carol', () => bob.view().chains[0]!.status.height > height + 2);
  });

  it('registers a title and proves it against a signed block', async () => {
    const alice = testWallet();
    await alice.load();
    await alice.create(PASSWORD);
    const did = alice.view().accounts[0]!.did;
    const chainId = await alice.found({ name: 'Registry', validators: [{ key: did }] });
    await alice.submit(chainId, 0, {
      kind: 'registerRecord',
      recordId: 'plot-7',
      contentHash: new Uint8Array(32).fill(7),
      metadata: { area: '120 m²' },
    });
    await until('the record', () => alice.view().chains[0]!.records.length === 1);
    const result = await alice.recordProof(chainId, 'plot-7');
    expect(result.record?.recordId).toBe('plot-7');
    expect(result.history).toEqual([expect.objectContaining({ kind: 'registered', owner: did })]);
    expect(result.proven).toBe(true);
    expect(result.signers).toBe(1);
  });

  it('a restored validator key does not sign on the word of a peer that holds nothing', async () => {
    const alice = testWallet();
    await alice.load();
    const { mnemonic } = await alice.create(PASSWORD);
    const did = alice.view().accounts[0]!.did;
    const chainId = await alice.found({ name: 'Lone validator', validators: [{ key: did }] });
    await until('some blocks', () => alice.view().chains[0]!.status.height > 3);
    const invite = alice.invite(chainId);
    await alice.lock(); // gone before anyone synced from it

    const bob = testWallet(); // joins, but there is nobody to sync from: height 0
    await bob.load();
    await bob.create(PASSWORD);
    await bob.join(invite);
    const carol = testWallet();
    await carol.load();
    await carol.restore(mnemonic, PASSWORD);
    await carol.join(bob.invite(chainId));
    await until('carol hears bob', () => carol.view().chains[0]!.status.peers > 0);
    await new Promise((r) => setTimeout(r, 1500));
    // Signing now would fork the chain from its genesis: blocks 1–3 exist, signed by this key.
    expect(carol.view().chains[0]!.status).toMatchObject({ signing: false, height: 0 });
  });

  it('exports the wallet as an encrypted file that a fresh device imports', async () => {
    const alice = testWallet();
    await alice.load();
    await alice.create(PASSWORD);
    const did = alice.view().accounts[0]!.did;
    const chainId = await alice.found({ name: 'Exported', validators: [{ key: did }] });
    await alice.setAutoLock(60_000);
    await expect(alice.exportFile('wrong password')).rejects.toMatchObject({
      name: 'WrongPasswordError',
    });
    const file = await alice.exportFile(PASSWORD);
    expect(new TextDecoder().decode(file)).not.toContain('Exported'); // the chain list is sealed
    await alice.lock();

    const dave = testWallet();
    await dave.load();
    await expect(dave.importFile(file, 'wrong password')).rejects.toMatchObject({
      name: 'WrongPasswordError',
    });
    const damaged = file.slice(0, file.length - 5);
    await expect(dave.importFile(damaged, PASSWORD)).rejects.toMatchObject({
      name: 'InvalidWalletFileError',
    });
    expect(dave.view().vault).toBe('empty');

    await dave.importFile(file, PASSWORD);
    const view = dave.view();
    expect(view).toMatchObject({ vault: 'unlocked', autoLockMs: 60_000 });
    expect(view.accounts[0]!.did).toBe(did);
    // It follows the chain, and waits to hear a peer before it signs with the imported key.
    expect(view.chains.map((c) => [c.id, c.role, c.status.signing])).toEqual([
      [chainId, 'validator', false],
    ]);
  });

  it('refuses a bad invite with a typed error and changes nothing', async () => {
    const alice = testWallet();
    await alice.load();
    await alice.create(PASSWORD);
    await expect(alice.join('freehold:AAAA')).rejects.toMatchObject({ name: 'InvalidInviteError' });
    expect(alice.view().chains).toEqual([]);
  });

  it('B3: (memory records) a new identity stays "not backed up" across a reload until its words are confirmed', async () => {
    const device = newDevice();
    const first = testWallet(device);
    await first.load();
    await first.create(PASSWORD);
    expect(first.view().backedUp).toBe(false);
    await first.lock();

    // The page reloads while the words are shown: the words are gone, the reminder is not.
    const reloaded = testWallet(device);
    await reloaded.load();
    await reloaded.unlock(PASSWORD);
    expect(reloaded.view().backedUp).toBe(false);
    await reloaded.confirmBackup();
    expect(reloaded.view().backedUp).toBe(true);
    await reloaded.lock();

    const later = testWallet(device);
    await later.load();
    expect(later.view().backedUp).toBe(true);
  });

  it('B4: restore names the word that is wrong by its position, never "BIP-39", and says plainly when the words do not fit together', async () => {
    const alice = testWallet();
    await alice.load();
    const { mnemonic } = await alice.create(PASSWORD);
    const words = mnemonic.split(' ');

    const typo = words.map((w, i) => (i === 6 ? `${w}zq` : w)).join(' ');
    const carol = testWallet();
    await carol.load();
    const typoError = await carol.restore(typo, PASSWORD).catch((e: unknown) => e);
    expect(typoError).toMatchObject({
      name: 'InvalidMnemonicError',
      shortMessage: `Word 7, “${words[6]}zq”, is not in the word list.`,
    });

    // Two real words swapped: every word is known, the phrase's check fails.
    const swapped = [words[1], words[0], ...words.slice(2)].join(' ');
    const swapError = await carol.restore(swapped, PASSWORD).catch((e: unknown) => e);
    expect(swapError).toMatchObject({ name: 'InvalidMnemonicError' });
    const said = (swapError as { shortMessage: string }).shortMessage;
    expect(said).toMatch(/wrong or two are swapped/);
    for (const e of [typoError, swapError])
      expect((e as { shortMessage: string }).shortMessage).not.toMatch(/BIP-?39|checksum/i);
    expect(carol.view().vault).toBe('empty');
  });

  it('B2: (memory store, no peers) queued payments show as pending, what they take cannot be spent twice, and one is cancelled', async () => {
    const alice = testWallet();
    await alice.load();
    await alice.create(PASSWORD);
    const did = alice.view().accounts[0]!.did;
    // A chain whose validator is elsewhere and unreachable: what alice signs stays queued.
    const absent = testWallet();
    await absent.load();
    await absent.create(PASSWORD);
    const genesis = createGenesis({
      name: 'Far away',
      genesisTime: Date.now(),
      validators: [{ key: absent.view().accounts[0]!.did }],
      assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
      balances: [{ account: did, asset: 'COIN', amount: 100n }],
    });
    const chainId = await alice.join(encodeInvite({ genesis, peers: [] }));
    const to = recipientKey(absent.view().accounts[0]!.did);
    const first = await alice.submit(chainId, 0, {
      kind: 'transfer',
      asset: 'COIN',
      to,
      amount: 70n,
    });
    const holding = () => alice.view().chains[0]!.holdings[0]!;
    expect(holding()).toMatchObject({ amount: 100n, pending: 70n });
    await expect(
      alice.submit(chainId, 0, { kind: 'transfer', asset: 'COIN', to, amount: 50n }),
    ).rejects.toMatchObject({ name: 'InsufficientFundsError' });

    await alice.cancel(chainId, first);
    expect(alice.view().chains[0]!.activity.find((a) => a.txId === first)).toMatchObject({
      status: 'cancelled',
    });
    expect(holding()).toMatchObject({ amount: 100n, pending: 0n });
    await alice.submit(chainId, 0, { kind: 'transfer', asset: 'COIN', to, amount: 50n });
    expect(holding()).toMatchObject({ pending: 50n });
  });
});
