/**
 * @module createMemoryChainStore — the ChainStore port held in memory: for the simulator and for
 * tests. Same rows and checks as the Dexie adapter; a commit checks and encodes everything before it
 * writes anything.
 */
import {
  StoreConflictError,
  UnknownChainError,
  type BlockCommit,
  type ChainStore,
} from '../chain/ChainStore';
import {
  blockFromBytes,
  certificateFromBytes,
  certificateToBytes,
  chainFromRow,
  chainToRow,
  headerFromBytes,
  hex,
  checkFollows,
  commitToRows,
  outboxFromRow,
  outboxToRow,
  peerFromRow,
  peerToRow,
  type ChainRow,
  type HeadRow,
  type OutboxRow,
  type PeerRow,
} from './rows';

interface ChainData {
  row: ChainRow;
  head: HeadRow;
  headers: Map<number, Uint8Array>;
  blocks: Map<number, Uint8Array>;
  certificates: Map<number, Uint8Array>;
  entries: Map<string, Uint8Array>;
  nodes: Map<number, Uint8Array>;
  consensus: Uint8Array | undefined;
}

export function createMemoryChainStore(): ChainStore {
  const chains = new Map<string, ChainData>();
  const outbox = new Map<string, OutboxRow>();
  const peers = new Map<string, PeerRow>();

  const chain = (chainId: Uint8Array): ChainData => {
    const data = chains.get(hex(chainId));
    if (!data) throw new UnknownChainError('This chain is not in the wallet.');
    return data;
  };

  return {
    addChain(record, genesisState) {
      const row = chainToRow(record);
      if (chains.has(row.chainId))
        return Promise.reject(new StoreConflictError('This chain is already in the wallet.'));
      const entries = new Map<string, Uint8Array>();
      for (const [name, bytes] of genesisState.entries) if (bytes) entries.set(name, bytes.slice());
      chains.set(row.chainId, {
        row,
        head: {
          chainId: row.chainId,
          height: 0,
          blockHash: record.chainId.slice(),
          stateRoot: genesisState.root.slice(),
          time: record.genesis.genesisTime,
        },
        headers: new Map(),
        blocks: new Map(),
        certificates: new Map(),
        entries,
        nodes: new Map([[0, genesisState.nodes.slice()]]),
        consensus: undefined,
      });
      return Promise.resolve();
    },

    getChain(chainId) {
      const data = chains.get(hex(chainId));
      return Promise.resolve(data && chainFromRow(data.row));
    },

    listChains() {
      return Promise.resolve([...chains.values()].map((d) => chainFromRow(d.row)));
    },

    removeChain(chainId) {
      const id = hex(chainId);
      chains.delete(id);
      for (const [k, o] of outbox) if (o.chainId === id) outbox.delete(k);
      return Promise.resolve();
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async commitBlock(chainId, commit) {
      applyBlocks(chain(chainId), [commit]);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async commitBlocks(chainId, commits) {
      applyBlocks(chain(chainId), commits);
    },

    getHead(chainId) {
      const head = chains.get(hex(chainId))?.head;
      return Promise.resolve(
        head && {
          height: head.height,
          blockHash: head.blockHash.slice(),
          stateRoot: head.stateRoot.slice(),
          time: head.time,
        },
      );
    },

    getHeader(chainId, height) {
      const bytes = chains.get(hex(chainId))?.headers.get(height);
      return Promise.resolve(bytes && headerFromBytes(bytes));
    },

    getHeaders(chainId, from, to) {
      const data = chains.get(hex(chainId));
      const out = [];
      for (let h = from; data && h <= to; h++) {
        const bytes = data.headers.get(h);
        if (bytes) out.push(headerFromBytes(bytes));
      }
      return Promise.resolve(out);
    },

    getBlock(chainId, height) {
      const bytes = chains.get(hex(chainId))?.blocks.get(height);
      return Promise.resolve(bytes && blockFromBytes(bytes));
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putCertificate(chainId, certificate) {
      chain(chainId).certificates.set(certificate.height, certificateToBytes(certificate));
    },

    getCertificate(chainId, height) {
      const bytes = chains.get(hex(chainId))?.certificates.get(height);
      return Promise.resolve(bytes && certificateFromBytes(bytes));
    },

    loadState(chainId) {
      const data = chains.get(hex(chainId));
      if (!data) return Promise.resolve(undefined);
      return Promise.resolve({
        height: data.head.height,
        time: data.head.time,
        root: data.head.stateRoot.slice(),
        entries: [...data.entries].map(
          ([name, bytes]) => [name, bytes.slice()] as [string, Uint8Array],
        ),
        nodes: [...data.nodes.values()].map((b) => b.slice()),
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putConsensusState(chainId, bytes) {
      chain(chainId).consensus = bytes?.slice();
    },

    getConsensusState(chainId) {
      return Promise.resolve(chains.get(hex(chainId))?.consensus?.slice());
    },

    putOutbox(item) {
      const row = outboxToRow(item);
      outbox.set(row.txId, { ...row, bytes: row.bytes.slice() });
      return Promise.resolve();
    },

    listOutbox(chainId) {
      const id = chainId && hex(chainId);
      const rows = [...outbox.values()]
        .filter((o) => !id || o.chainId === id)
        .sort((a, b) => a.createdAt - b.createdAt);
      return Promise.resolve(rows.map((r) => outboxFromRow({ ...r, bytes: r.bytes.slice() })));
    },

    deleteOutbox(txId) {
      outbox.delete(hex(txId));
      return Promise.resolve();
    },

    putPeer(peer) {
      peers.set(peer.peerId, peerToRow(peer));
      return Promise.resolve();
    },

    listPeers() {
      return Promise.resolve([...peers.values()].map(peerFromRow));
    },

    close() {
      return Promise.resolve();
    },
  };
}

/**
 * Applies `commits` to the chain's data. Every check and every encoding happens before the
 * first write, so a failure leaves the stored data untouched.
 */
function applyBlocks(data: ChainData, commits: readonly BlockCommit[]): void {
  checkFollows(data.head.height, commits);
  const encoded = commits.map(commitToRows);
  commits.forEach(({ block, blockHash, diff }, i) => {
    const h = block.header.height;
    const bytes = encoded[i]!;
    data.headers.set(h, bytes.header);
    data.blocks.set(h, bytes.block);
    for (const [at, cert] of bytes.certificates) data.certificates.set(at, cert);
    for (const [name, value] of diff.entries) {
      if (value) data.entries.set(name, value.slice());
      else data.entries.delete(name);
    }
    data.nodes.set(h, diff.nodes.slice());
    data.head = {
      chainId: data.row.chainId,
      height: h,
      blockHash: blockHash.slice(),
      stateRoot: diff.root.slice(),
      time: block.header.time,
    };
  });
}
