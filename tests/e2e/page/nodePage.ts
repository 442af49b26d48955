// The light node running in a browser page, for the browser tests: the real node facade over
// the browser libp2p network and the Dexie store in the page's own IndexedDB. The test drives
// it through `window.freehold`; everything it returns is plain data.
import { bytesToHex, hexToBytes } from '../../../src/crypto/bytes';
import { toDidKey } from '../../../src/crypto/didKey';
import {
  createWebCryptoVerifier,
  getPublicKey,
  nobleVerifier,
  sign,
} from '../../../src/crypto/ed25519';
import { decode } from '../../../src/codec/cbor';
import type { ChainRole } from '../../../src/chain/ChainStore';
import { readGenesis } from '../../../src/chain/genesis';
import { createBrowserNetwork } from '../../../src/net/createBrowserNetwork';
import type { PeerLink } from '../../../src/net/Network';
import type { ChainNode, ChainStatus, NodeEvent, Signer } from '../../../src/node/createChainNode';
import { createNode, type FreeholdNode } from '../../../src/node/createNode';
import { createDexieChainStore } from '../../../src/store/createDexieChainStore';
import { openFreeholdDb } from '../../../src/store/FreeholdDb';

export interface PageStart {
  /** The genesis, canonical CBOR in hex. */
  genesis: string;
  /** The account's (and, if it is one, the validator's) ed25519 secret key, hex. */
  secretKey: string;
  role: ChainRole;
  relays: string[];
  database: string;
  blockIntervalMs: number;
}

export interface PageNode {
  start(options: PageStart): Promise<{ peerId: string; did: string }>;
  links(): PeerLink[];
  status(): ChainStatus;
  events(): NodeEvent[];
  /** Sends `amount` of `asset` to the account (hex public key); resolves to the tx id (hex). */
  transfer(to: string, amount: string, asset: string): Promise<string>;
  /** A balance in the committed state, as a decimal string. */
  balance(account: string, asset: string): string;
  stop(): Promise<void>;
}

declare global {
  interface Window {
    freehold: PageNode;
  }
}

let node: FreeholdNode | undefined;
let chain: ChainNode | undefined;
let signer: Signer | undefined;
const log: NodeEvent[] = [];

const need = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('The node has not started.');
  return value;
};

window.freehold = {
  async start(options) {
    const secretKey = hexToBytes(options.secretKey);
    const publicKey = getPublicKey(secretKey);
    signer = { publicKey, sign: (m) => sign(m, secretKey) };
    const network = await createBrowserNetwork({ relays: options.relays, lanOnly: true });
    node = createNode({
      store: createDexieChainStore(openFreeholdDb(options.database)),
      network,
      verifier: (await createWebCryptoVerifier()) ?? nobleVerifier,
      blockIntervalMs: options.blockIntervalMs,
      onEvent: (event) => log.push(event),
    });
    chain = await node.join(readGenesis(decode(hexToBytes(options.genesis))), options.role, signer);
    return { peerId: network.peerId, did: toDidKey(publicKey) };
  },
  links: () => need(node).network.links(),
  status: () => need(chain).status(),
  events: () => [...log],
  async transfer(to, amount, asset) {
    const item = await need(chain).send(need(signer), {
      kind: 'transfer',
      asset,
      to: hexToBytes(to),
      amount: BigInt(amount),
    });
    return bytesToHex(item.txId);
  },
  balance: (account, asset) => String(need(chain).balance(hexToBytes(account), asset)),
  stop: () => need(node).stop(),
};
