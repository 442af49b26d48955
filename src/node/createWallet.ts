/**
 * @module createWallet — the facade the app talks to: the key vault, the node that runs while
 * the wallet is unlocked, and the wallet's own records (settings, activity, invite peers). It
 * answers with plain data (`WalletView`) and tells listeners when that data may have changed;
 * the UI never reaches past it into the store or the network.
 *
 * The node runs only while the wallet is unlocked: a validator needs its key to sign, and a
 * locked wallet holds no key. Locking stops the node; unlocking starts it again and it catches
 * up from its peers.
 *
 * Over 400 lines: the view, activity and lifecycle parts are to be split out (noted for the
 * planning of the next work).
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, bytesToHex, hexToBytes } from '../crypto/bytes';
import { fromDidKey, toDidKey } from '../crypto/didKey';
import type { AccountInfo } from '../crypto/identity';
import type { KeyVault, VaultStatus } from '../crypto/keyVault';
import { DEFAULT_IDLE_MS } from '../crypto/keyVault';
import type { ChainRole } from '../chain/ChainStore';
import {
  chainIdOf,
  createGenesis,
  genesisValidatorSet,
  type Genesis,
  type GenesisInput,
} from '../chain/genesis';
import {
  entryName,
  type Asset,
  type ChainParams,
  type EvidenceRecord,
  type Proposal,
  type TitleRecord,
} from '../chain/stateEntries';
import { decodeTransaction, txIdOf, type TxBody } from '../chain/transaction';
import { findValidator, type ValidatorSet } from '../chain/validatorSet';
import { blockHashOf } from '../chain/block';
import { verifyCommit } from '../consensus/verifyCommit';
import { verifyEntry } from '../light/verifyEntry';
import type { PeerLink } from '../net/Network';
import {
  describeError,
  type ChainNode,
  type ChainStatus,
  type NodeEvent,
  type Signer,
} from './createChainNode';
import type { FreeholdNode } from './createNode';
import { decodeInvite, encodeInvite } from './invite';
import type { Checkpoint } from '../light/trustFromCheckpoint';
import { openWalletFile, sealWalletFile } from './walletFile';
import { activityOf, type ActivityItem, type OwnAccounts } from './walletActivity';
import type { WalletStore } from './WalletStore';

export class WalletLockedError extends FreeholdError {
  override name = 'WalletLockedError' as const;
  constructor() {
    super('The wallet is locked. Unlock it with your password.');
  }
}

export class UnknownChainError extends FreeholdError {
  override name = 'WalletUnknownChainError' as const;
  constructor() {
    super('This wallet does not follow that chain.');
  }
}

export class InsufficientFundsError extends FreeholdError {
  override name = 'InsufficientFundsError' as const;
}

export class InvalidRecipientError extends FreeholdError {
  override name = 'InvalidRecipientError' as const;
}

export interface OpenedNode {
  node: FreeholdNode;
  /** The libp2p key the node runs with: kept, so peers know this wallet by one id. */
  networkKey: Uint8Array;
}

export interface WalletInit {
  vault: KeyVault;
  records: WalletStore;
  /** Opens a store and a network and the node over them; called at each unlock. */
  openNode(options: {
    networkKey: Uint8Array | undefined;
    /** Whether the platform reports a network: the node starts offline if not. */
    online: boolean;
    onEvent: (event: NodeEvent) => void;
  }): Promise<OpenedNode>;
  /** Deletes every byte this wallet stored on the device (after the node has stopped). */
  wipeStorage(): Promise<void>;
  /** Household nodes and relays to keep dialling (the page's configuration). */
  relays: readonly string[];
  now: () => number;
}

export interface Holding {
  account: number;
  asset: string;
  /** The committed balance. */
  amount: bigint;
  /** What this account's payments signed here and not yet final will take from it. */
  pending: bigint;
}

export interface ChainView {
  id: string;
  name: string;
  role: ChainRole;
  status: ChainStatus;
  genesis: Genesis;
  validators: ValidatorSet;
  params: ChainParams | undefined;
  assets: Asset[];
  holdings: Holding[];
  records: TitleRecord[];
  proposals: Proposal[];
  evidence: EvidenceRecord[];
  activity: ActivityItem[];
}

export interface WalletView {
  vault: VaultStatus;
  accounts: AccountInfo[];
  chains: ChainView[];
  links: PeerLink[];
  autoLockMs: number;
  /** The node is running (the wallet is unlocked and its chains joined). */
  running: boolean;
  /** False from creating an identity until its recovery phrase is confirmed (kept on disk). */
  backedUp: boolean;
}

export type WalletEvent = NodeEvent | { type: 'vault'; status: VaultStatus } | { type: 'changed' };

/** A record's history and whether its current state is proven against a signed block. */
export interface RecordProof {
  record: TitleRecord | undefined;
  /** The block whose state root the proof checks against, and how many signed it. */
  height: number;
  signers: number;
  validators: number;
  proven: boolean;
  history: { height: number; time: number; kind: 'registered' | 'transferred'; owner: string }[];
}

export interface Wallet {
  view(): WalletView;
  subscribe(listener: (event: WalletEvent) => void): () => void;
  /** Reads the vault's state; call once at start. */
  load(): Promise<WalletView>;

  create(password: string): Promise<{ mnemonic: string }>;
  restore(mnemonic: string, password: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): Promise<void>;
  /** The platform says whether the device has a network at all (the browser's online events). */
  setOnline(online: boolean): void;
  /** A person did something: resets the idle clock. */
  touch(): void;
  /** Locks when idle for longer than the auto-lock time; true if it did. */
  lockIfIdle(): Promise<boolean>;
  setAutoLock(ms: number): Promise<void>;
  addAccount(): Promise<AccountInfo>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  revealMnemonic(password: string): Promise<string>;
  /** The person typed back words of the recovery phrase: it is written down. */
  confirmBackup(): Promise<void>;
  /** Removes the identity, the chains and every record from this device. */
  wipe(): Promise<void>;
  /** The whole wallet as an encrypted file (walletFile), sealed under the current password. */
  exportFile(password: string): Promise<Uint8Array>;
  /** On an empty device: installs a wallet file, unlocks it and rejoins its chains. */
  importFile(bytes: Uint8Array, password: string): Promise<void>;

  found(input: Omit<GenesisInput, 'genesisTime'>): Promise<string>;
  join(invite: string): Promise<string>;
  leave(chainId: string): Promise<void>;
  invite(chainId: string): string;
  /** Signs and submits a transaction from one of our accounts; resolves to its id (hex). */
  submit(chainId: string, account: number, body: TxBody): Promise<string>;
  /** Takes back a payment still queued on this device (and later ones of its account). */
  cancel(chainId: string, txId: string): Promise<void>;
  recordProof(chainId: string, recordId: string): Promise<RecordProof>;
}

const KEY = {
  networkKey: 'settings/networkKey',
  autoLock: 'settings/autoLockMs',
  /** Set before a new identity exists, cleared when its phrase is confirmed: a reload between
   * the two leaves the reminder on. */
  notBackedUp: 'settings/notBackedUp',
  peers: (chain: string) => `peers/${chain}`,
  scanned: (chain: string) => `scanned/${chain}`,
  /** This device founded the chain, or has signed for it: it signs at once when it starts. */
  signs: (chain: string) => `signs/${chain}`,
  /** The certified block the invite this chain was joined by vouches for. */
  checkpoint: (chain: string) => `checkpoint/${chain}`,
  activity: (chain: string, txId = '') => `activity/${chain}/${txId}`,
};

/**
 * Activity by block, newest first: what is in no block yet (height 0) is newest of all; within
 * one block, and among those waiting, the later signed first.
 */
const newestFirst = (a: ActivityItem, b: ActivityItem): number =>
  (b.height || Infinity) - (a.height || Infinity) || b.time - a.time;

/** Peers an invite names: enough ways in, few enough for a QR code a phone reads. */
const INVITE_PEERS = 3;

/** Blocks scanned for activity between two pauses, so a long catch-up leaves the UI responsive. */
const SCAN_BATCH = 64;

export function createWallet(init: WalletInit): Wallet {
  const { vault, records, now } = init;
  const listeners = new Set<(event: WalletEvent) => void>();
  let status: VaultStatus = 'empty';
  let autoLockMs = DEFAULT_IDLE_MS;
  let backedUp = true;
  let node: FreeholdNode | null = null;
  let starting: Promise<void> | null = null;
  let online = true;
  const activity = new Map<string, Map<string, ActivityItem>>();
  const genesisOf = new Map<string, Genesis>();
  const scanning = new Map<string, Promise<void>>();
  let scanGeneration = 0;
  /** Sends under way: locking waits for them, so none is cut off halfway. */
  const inflight = new Set<Promise<unknown>>();
  /** Unlock, lock, create, restore, import and wipe run one at a time, in order. */
  let lifecycle: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const next = lifecycle.then(task);
    lifecycle = next.catch(() => undefined);
    return next;
  };

  const emit = (event: WalletEvent): void => {
    for (const l of listeners) l(event);
  };

  const requireNode = (): FreeholdNode => {
    if (!node) throw new WalletLockedError();
    return node;
  };
  const requireChain = (chainId: string): ChainNode => {
    const chain = requireNode().chain(hexToBytes(chainId));
    if (!chain) throw new UnknownChainError();
    return chain;
  };

  const ownAccounts = (): OwnAccounts =>
    new Map(vault.accounts().map((a) => [bytesKey(a.publicKey), a.account]));

  /** Our account that validates this chain, if any: the node signs consensus with it. */
  const validatorAccount = (genesis: Genesis): AccountInfo | undefined =>
    vault
      .accounts()
      .find((a) => findValidator(genesisValidatorSet(genesis), a.publicKey) !== undefined);

  const signerFor = (account: AccountInfo): Signer => ({
    publicKey: account.publicKey,
    sign: (message) => vault.sign(account.account, message),
  });

  // ---------------------------------------------------------------- activity

  /** What an account's payments signed here and not yet final will take of an asset. */
  const pendingOut = (chain: string, account: number, asset: string): bigint => {
    let sum = 0n;
    for (const item of itemsOf(chain).values()) {
      const waiting = item.status === 'queued' || item.status === 'pending';
      if (waiting && item.kind === 'transfer' && item.direction !== 'in')
        if (item.account === account && item.asset === asset) sum += BigInt(item.amount);
    }
    return sum;
  };

  const itemsOf = (chain: string): Map<string, ActivityItem> => {
    let items = activity.get(chain);
    if (!items) activity.set(chain, (items = new Map<string, ActivityItem>()));
    return items;
  };

  const keep = async (item: ActivityItem): Promise<void> => {
    itemsOf(item.chainId).set(item.txId, item);
    await records.put(KEY.activity(item.chainId, item.txId), item);
  };

  /**
   * Reads committed blocks not yet scanned and keeps what touches our accounts. A scan belongs
   * to one generation: stopping the node or opening an account starts a new one, and a scan of
   * an older generation stops where it is without writing its progress.
   */
  const scan = (chain: string): Promise<void> => {
    const running = scanning.get(chain);
    if (running) return running.then(() => scan(chain));
    const generation = scanGeneration;
    const current = (): boolean => generation === scanGeneration && node !== null;
    const job = (async () => {
      const c = node?.chain(hexToBytes(chain));
      if (!c) return;
      const own = ownAccounts();
      let from = ((await records.get<number>(KEY.scanned(chain))) ?? 0) + 1;
      const to = c.status().height;
      while (from <= to && current()) {
        const end = Math.min(to, from + SCAN_BATCH - 1);
        for (let h = from; h <= end; h++) {
          const block = await c.block(h);
          if (!block) return;
          for (const signed of block.transactions) {
            const item = activityOf(signed, txIdOf(signed), own, {
              status: 'final',
              height: h,
              time: block.header.time,
            });
            if (!item) continue;
            const before = itemsOf(chain).get(item.txId);
            await keep(before ? { ...item, time: before.time } : item);
          }
        }
        if (!current()) return;
        await records.put(KEY.scanned(chain), end);
        from = end + 1;
        emit({ type: 'changed' });
      }
    })().catch((error: unknown) => {
      // The store closed under a scan (the wallet locked): the next start scans again.
      if (current()) emit({ type: 'warning', chain, message: describeError(error) });
    });
    scanning.set(chain, job);
    return job.finally(() => scanning.delete(chain));
  };

  const onOutbox = async (event: Extract<NodeEvent, { type: 'outbox' }>): Promise<void> => {
    const item = itemsOf(event.chain).get(event.txId);
    if (!item || item.status === 'final' || item.status === 'cancelled') return;
    if (event.status === 'final') return; // the block scan records it with its height
    const next = {
      ...item,
      status:
        event.status === 'rejected' ? 'rejected' : event.status === 'sent' ? 'pending' : 'queued',
      reason: event.reason,
    } as const;
    await keep(next);
  };

  const onNodeEvent = (event: NodeEvent): void => {
    const warn = (error: unknown): void =>
      emit({ type: 'warning', chain: event.chain, message: describeError(error) });
    if (event.type === 'committed' || event.type === 'synced') void scan(event.chain);
    if (event.type === 'signing') records.put(KEY.signs(event.chain), true).catch(warn);
    if (event.type === 'outbox')
      onOutbox(event)
        .then(() => emit({ type: 'changed' }))
        .catch(warn);
    emit(event);
  };

  // ---------------------------------------------------------------- the node

  const joinChain = async (genesis: Genesis): Promise<ChainNode> => {
    const n = requireNode();
    const id = bytesToHex(chainIdOf(genesis));
    const validator = validatorAccount(genesis);
    const role: ChainRole = validator ? 'validator' : 'full';
    // A key restored here may have signed this chain on another device: catch up first.
    const signs = (await records.get<boolean>(KEY.signs(id))) === true;
    // What was seen before, in place before the chain starts and its outbox reports.
    for (const [, item] of await records.list<ActivityItem>(KEY.activity(id)))
      itemsOf(id).set(item.txId, item);
    const checkpoint = await records.get<Checkpoint>(KEY.checkpoint(id));
    const chain = await n.join(genesis, role, validator && signerFor(validator), {
      syncBeforeSigning: !signs,
      ...(checkpoint && { checkpoint }),
    });
    genesisOf.set(id, genesis);
    for (const peer of (await records.get<string[]>(KEY.peers(id))) ?? []) keepDialling(peer);
    void scan(id);
    return chain;
  };

  const keepDialling = (address: string): void => {
    try {
      requireNode().network.keepDialling(address);
    } catch {
      // An address this network cannot parse or use is skipped; others may still work.
    }
  };

  const startNode = async (): Promise<void> => {
    if (node || starting) return starting ?? undefined;
    starting = (async () => {
      const opened = await init.openNode({
        networkKey: await records.get<Uint8Array>(KEY.networkKey),
        online,
        onEvent: onNodeEvent,
      });
      node = opened.node;
      await records.put(KEY.networkKey, opened.networkKey);
      for (const relay of init.relays) keepDialling(relay);
      for (const record of await node.joined()) await joinChain(record.genesis);
    })();
    try {
      await starting;
    } finally {
      starting = null;
    }
    emit({ type: 'changed' });
  };

  const stopNode = async (): Promise<void> => {
    await starting?.catch(() => undefined);
    await Promise.allSettled([...inflight]);
    const n = node;
    node = null;
    scanGeneration += 1;
    activity.clear();
    genesisOf.clear();
    if (n) await n.stop();
  };

  const setBackedUp = async (done: boolean): Promise<void> => {
    if (done) await records.delete(KEY.notBackedUp);
    else await records.put(KEY.notBackedUp, true);
    backedUp = done;
    emit({ type: 'changed' });
  };

  const setStatus = (next: VaultStatus): void => {
    status = next;
    emit({ type: 'vault', status: next });
  };

  // ---------------------------------------------------------------- views

  const chainView = (chain: ChainNode, genesis: Genesis): ChainView => {
    const chainStatus = chain.status();
    const id = bytesToHex(chain.chainId);
    const entries = <T>(prefix: string): T[] => chain.entries(prefix).map(([, v]) => v as T);
    const validators =
      (chain.read(entryName.validators) as ValidatorSet | undefined) ??
      genesisValidatorSet(genesis);
    const accounts = vault.accounts();
    const assets = entries<Asset>('asset:');
    const holdings: Holding[] = [];
    for (const a of accounts) {
      for (const asset of assets) {
        holdings.push({
          account: a.account,
          asset: asset.symbol,
          amount: chain.balance(a.publicKey, asset.symbol) ?? 0n,
          pending: pendingOut(id, a.account, asset.symbol),
        });
      }
    }
    return {
      id,
      name: genesis.name,
      role: chainStatus.role,
      status: chainStatus,
      genesis,
      validators,
      params: chain.read(entryName.params) as ChainParams | undefined,
      assets,
      holdings,
      records: entries<TitleRecord>('record:'),
      proposals: entries<Proposal>('proposal:').sort((a, b) => b.id - a.id),
      evidence: entries<EvidenceRecord>('evidence:'),
      activity: [...itemsOf(id).values()].sort(newestFirst),
    };
  };

  /** On an empty device: installs a wallet file, unlocks it and rejoins its chains. */
  const importFile = async (bytes: Uint8Array, password: string): Promise<void> => {
    const { vault: sealed, contents } = await openWalletFile(bytes, password);
    await vault.importSealed(sealed, password);
    await setBackedUp(true); // the file is itself a backup, opened by the password
    await wallet.setAutoLock(contents.autoLockMs);
    for (const chain of contents.chains) {
      const id = bytesToHex(chainIdOf(chain.genesis));
      await records.put(KEY.peers(id), chain.peers);
    }
    setStatus('unlocked');
    await startNode();
    // Chains the file lists but the node has not joined yet (a fresh device): join them now.
    for (const chain of contents.chains) {
      if (!genesisOf.has(bytesToHex(chainIdOf(chain.genesis)))) await joinChain(chain.genesis);
    }
    emit({ type: 'changed' });
  };

  /** Signs and submits from one of our accounts; the activity shows it at once. */
  const submit = async (chainId: string, account: number, body: TxBody): Promise<string> => {
    const chain = requireChain(chainId);
    const info = vault.accounts().find((a) => a.account === account);
    if (!info) throw new InvalidRecipientError('That account is not open in this wallet.');
    if (body.kind === 'transfer') {
      // What payments signed here and not yet final will take is not there to spend twice.
      const have = chain.balance(info.publicKey, body.asset) ?? 0n;
      const left = have - pendingOut(chainId, account, body.asset);
      if (body.amount > left) {
        throw new InsufficientFundsError(
          left === have
            ? `This account holds only ${have} of ${body.asset}.`
            : `This account has only ${left} of ${body.asset} left once its pending payments are final.`,
        );
      }
    }
    const item = await chain.send(signerFor(info), body);
    const seen = activityOf(decodeTransaction(item.bytes), item.txId, ownAccounts(), {
      status: item.status === 'queued' ? 'queued' : 'pending',
      height: 0,
      time: item.createdAt,
    });
    if (seen && itemsOf(chainId).get(seen.txId)?.status !== 'final') await keep(seen);
    emit({ type: 'changed' });
    return bytesToHex(item.txId);
  };

  const wallet: Wallet = {
    view() {
      const unlocked = status === 'unlocked';
      const chains: ChainView[] = [];
      if (node && unlocked) {
        for (const [id, genesis] of genesisOf) {
          const chain = node.chain(hexToBytes(id));
          if (chain) chains.push(chainView(chain, genesis));
        }
      }
      return {
        vault: status,
        accounts: unlocked ? vault.accounts() : [],
        chains,
        links: unlocked ? (node?.network.links() ?? []) : [],
        autoLockMs,
        running: node !== null,
        backedUp,
      };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async load() {
      autoLockMs = (await records.get<number>(KEY.autoLock)) ?? DEFAULT_IDLE_MS;
      backedUp = (await records.get<boolean>(KEY.notBackedUp)) !== true;
      vault.setIdleMs(autoLockMs);
      setStatus(await vault.status());
      return wallet.view();
    },

    create: (password) =>
      serially(async () => {
        await setBackedUp(false);
        const created = await vault.create({ password });
        setStatus('unlocked');
        await startNode();
        return created;
      }),

    restore: (mnemonic, password) =>
      serially(async () => {
        await vault.restore({ mnemonic, password });
        await setBackedUp(true); // the person has just typed the whole phrase
        setStatus('unlocked');
        await startNode();
      }),

    unlock: (password) =>
      serially(async () => {
        await vault.unlock(password);
        setStatus('unlocked');
        try {
          await startNode();
        } catch (error) {
          // Open in another tab: this one stays locked and says where the wallet is.
          if ((error as Error).name === 'WalletOpenElsewhereError') {
            vault.lock();
            setStatus('locked');
          }
          throw error;
        }
      }),

    lock: () =>
      serially(async () => {
        try {
          // The node first: a validator signs until it has stopped, and views read accounts.
          await stopNode();
        } finally {
          vault.lock();
          setStatus(status === 'empty' ? 'empty' : 'locked');
        }
      }),

    setOnline(next) {
      online = next;
      node?.network.setOffline(!next);
      emit({ type: 'changed' });
    },

    touch: () => vault.touch(),

    async lockIfIdle() {
      if (status !== 'unlocked' || !vault.idle()) return false;
      await wallet.lock();
      return true;
    },

    async setAutoLock(ms) {
      vault.setIdleMs(ms);
      autoLockMs = ms;
      await records.put(KEY.autoLock, ms);
      emit({ type: 'changed' });
    },

    async addAccount() {
      const account = await vault.addAccount();
      // Its past is unknown: scan every chain again from the start.
      await records.deleteAll('scanned/');
      for (const id of genesisOf.keys()) void scan(id);
      emit({ type: 'changed' });
      return account;
    },

    changePassword: (oldPassword, newPassword) => vault.changePassword(oldPassword, newPassword),

    revealMnemonic: (password) => vault.revealMnemonic(password),

    confirmBackup: () => setBackedUp(true),

    wipe: () =>
      serially(async () => {
        await stopNode();
        await vault.wipe();
        await init.wipeStorage();
        backedUp = true; // nothing is left to back up
        setStatus('empty');
        emit({ type: 'changed' });
      }),

    async exportFile(password) {
      requireNode(); // the chain list is the running node's
      const sealed = await vault.exportSealed(password);
      const chains = [];
      for (const [id, genesis] of genesisOf) {
        chains.push({ genesis, peers: (await records.get<string[]>(KEY.peers(id))) ?? [] });
      }
      return sealWalletFile(sealed, { chains, autoLockMs }, password);
    },

    importFile: (bytes, password) => serially(() => importFile(bytes, password)),

    async found(input) {
      const genesis = createGenesis({ ...input, genesisTime: now() });
      await records.put(KEY.signs(bytesToHex(chainIdOf(genesis))), true);
      const chain = await joinChain(genesis);
      const id = bytesToHex(chain.chainId);
      emit({ type: 'changed' });
      return id;
    },

    async join(text) {
      const invite = decodeInvite(text);
      requireNode();
      const id = bytesToHex(invite.chainId);
      const known = new Set((await records.get<string[]>(KEY.peers(id))) ?? []);
      for (const p of invite.peers) known.add(p);
      await records.put(KEY.peers(id), [...known]);
      if (invite.checkpoint && !genesisOf.has(id))
        await records.put(KEY.checkpoint(id), invite.checkpoint);
      await joinChain(invite.genesis);
      emit({ type: 'changed' });
      return id;
    },

    async leave(chainId) {
      await requireNode().leave(hexToBytes(chainId));
      genesisOf.delete(chainId);
      activity.delete(chainId);
      await records.delete(KEY.peers(chainId));
      await records.delete(KEY.signs(chainId));
      await records.delete(KEY.checkpoint(chainId));
      await records.delete(KEY.scanned(chainId));
      await records.deleteAll(KEY.activity(chainId));
      emit({ type: 'changed' });
    },

    invite(chainId) {
      const genesis = genesisOf.get(chainId);
      if (!genesis) throw new UnknownChainError();
      const n = requireNode();
      // A few ways in keep the QR code scannable: the household nodes, then this device's
      // direct addresses (WebRTC through a relay first). Peers found there tell of the rest.
      const own = n.network
        .addresses()
        .filter((a) => a.includes('/p2p/') && !/\/p2p-circuit\/p2p\//.test(a))
        .sort((a, b) => Number(b.includes('/webrtc/')) - Number(a.includes('/webrtc/')));
      const peers = [...new Set([...init.relays, ...own])].slice(0, INVITE_PEERS);
      // The head this device holds, certified: a newcomer refuses any chain without it.
      const { height, hash } = n.chain(hexToBytes(chainId))?.status() ?? { height: 0, hash: '' };
      const checkpoint = height > 0 ? { height, hash: hexToBytes(hash) } : undefined;
      return encodeInvite({ genesis, peers, ...(checkpoint && { checkpoint }) });
    },

    submit(chainId, account, body) {
      const sent = submit(chainId, account, body);
      inflight.add(sent);
      void sent.catch(() => undefined).finally(() => inflight.delete(sent));
      return sent;
    },

    async cancel(chainId, txId) {
      const removed = await requireChain(chainId).cancel(hexToBytes(txId));
      for (const id of removed.map(bytesToHex)) {
        const item = itemsOf(chainId).get(id);
        const reason =
          id === txId
            ? 'Cancelled on this device before it was sent.'
            : 'Cancelled with an earlier payment from this account, which it depended on.';
        if (item) await keep({ ...item, status: 'cancelled', reason });
      }
      emit({ type: 'changed' });
    },

    async recordProof(chainId, recordId) {
      const chain = requireChain(chainId);
      const name = entryName.record(recordId);
      const record = chain.read(name) as TitleRecord | undefined;
      const head = chain.prove(name);
      const history: RecordProof['history'] = [];
      if (record) {
        for (let h = record.registeredHeight; h <= record.updatedHeight; h++) {
          const block = await chain.block(h);
          for (const { tx } of block?.transactions ?? []) {
            const b = tx.body;
            if (b.kind === 'registerRecord' && b.recordId === recordId) {
              history.push({
                height: h,
                time: block!.header.time,
                kind: 'registered',
                owner: toDidKey(tx.sender),
              });
            } else if (b.kind === 'transferRecord' && b.recordId === recordId) {
              history.push({
                height: h,
                time: block!.header.time,
                kind: 'transferred',
                owner: toDidKey(b.to),
              });
            }
          }
        }
      }
      if (!head) {
        return { record, height: 0, signers: 0, validators: 0, proven: false, history };
      }
      const set = chain.read(entryName.lastValidators) as ValidatorSet | undefined;
      let proven = false;
      try {
        verifyEntry(head.header, name, head.entry.value, head.entry.proof);
        if (set) {
          verifyCommit(head.certificate, set, {
            chainId: chain.chainId,
            height: head.header.height,
            blockHash: blockHashOf(head.header),
          });
          proven = true;
        }
      } catch {
        proven = false; // shown as "not proven"; the node itself never stored such a block
      }
      return {
        record,
        height: head.header.height,
        signers: head.certificate.signatures.length,
        validators: set?.validators.length ?? 0,
        proven,
        history,
      };
    },
  };

  return wallet;
}

/**
 * A typed address (did:key) → the key bytes; anything else is an InvalidRecipientError that
 * names what was asked for (`what`: "The recipient", "The new owner").
 */
export function recipientKey(text: string, what = 'That'): Uint8Array {
  try {
    return fromDidKey(text.trim());
  } catch (cause) {
    throw new InvalidRecipientError(
      `${what} is not a Freehold address (it starts with did:key:z).`,
      { cause },
    );
  }
}
