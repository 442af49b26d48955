/**
 * @module openBrowserWallet — the wallet as a browser (or Electron renderer) runs it: the vault,
 * the chains and the wallet's records in the page's IndexedDB (Dexie), the node on the browser
 * libp2p network (WebSockets, the circuit relay, WebRTC), signatures checked by WebCrypto's
 * Ed25519 where the browser has it.
 */
import { Dexie } from 'dexie';
import { nobleVerifier, createWebCryptoVerifier } from '../crypto/ed25519';
import { createKeyVault } from '../crypto/keyVault';
import { createBrowserNetwork } from '../net/createBrowserNetwork';
import type { LanBridge } from '../net/lanBridgeProtocol';
import { newNetworkKey } from '../net/libp2pNetwork';
import { createDexieChainStore } from '../store/createDexieChainStore';
import { createDexieVaultStorage } from '../store/createDexieVaultStorage';
import { createDexieWalletStore } from '../store/createDexieWalletStore';
import { DB_NAME, openFreeholdDb } from '../store/FreeholdDb';
import { createNode } from './createNode';
import { claimTabLock } from './claimTabLock';
import type { NodeEvent } from './createChainNode';
import { createWallet, type OpenedNode, type Wallet } from './createWallet';

export interface BrowserWalletOptions {
  /** Household nodes and relays (multiaddrs with /p2p/<id>), from the page's configuration. */
  relays: readonly string[];
  /** Only devices on this network are reached directly: no public STUN servers. */
  lanOnly: boolean;
  database?: string;
  blockIntervalMs?: number;
  /** The desktop app's LAN bridge (its preload exposes it); absent in a browser. */
  lanBridge?: LanBridge;
}

export function openBrowserWallet(options: BrowserWalletOptions): Wallet {
  const name = options.database ?? DB_NAME;
  const db = openFreeholdDb(name);

  const openNodeHere = async (
    networkKey: Uint8Array | undefined,
    online: boolean,
    onEvent: (event: NodeEvent) => void,
    release: () => void,
  ): Promise<OpenedNode> => {
    const key = networkKey ?? (await newNetworkKey());
    const network = await createBrowserNetwork({
      privateKey: key,
      relays: [...options.relays],
      lanOnly: options.lanOnly,
      offline: !online,
      ...(options.lanBridge && { lanBridge: options.lanBridge }),
    });
    const node = createNode({
      store: createDexieChainStore(openFreeholdDb(name)),
      network,
      verifier: (await createWebCryptoVerifier()) ?? nobleVerifier,
      onEvent,
      ...(options.blockIntervalMs !== undefined && { blockIntervalMs: options.blockIntervalMs }),
    });
    const stop = node.stop.bind(node);
    // The lock goes with the node: once it has stopped signing, another tab may run.
    node.stop = () => stop().finally(release);
    return { node, networkKey: key };
  };

  return createWallet({
    vault: createKeyVault({ storage: createDexieVaultStorage(db), now: Date.now }),
    records: createDexieWalletStore(db),
    async openNode({ networkKey, online, onEvent }) {
      // One running node per profile: another tab's would sign with the same validator key.
      const release = await claimTabLock(globalThis.navigator?.locks, `freehold-node:${name}`);
      try {
        return await openNodeHere(networkKey, online, onEvent, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    async wipeStorage() {
      // Closed so the delete is not blocked; left able to reopen for the next identity.
      db.close({ disableAutoOpen: false });
      await Dexie.delete(name);
    },
    relays: options.relays,
    now: Date.now,
  });
}
