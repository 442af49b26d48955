/**
 * @module createDexieChainStore — the ChainStore port on IndexedDB through Dexie. A block, its
 * certificate, its state changes and the new head are written in one read-write transaction
 * over all the tables involved: IndexedDB commits it whole or not at all.
 */
import { Dexie } from 'dexie';
import {
  StoreConflictError,
  UnknownChainError,
  type BlockCommit,
  type ChainStore,
} from '../chain/ChainStore';
import type { FreeholdDb } from './FreeholdDb';
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
} from './rows';

const { minKey, maxKey } = Dexie;

export function createDexieChainStore(db: FreeholdDb): ChainStore {
  const chainTables = [
    db.chains,
    db.heads,
    db.headers,
    db.blocks,
    db.certificates,
    db.stateEntries,
    db.stateNodes,
    db.consensus,
  ];

  return {
    async addChain(record, genesisState) {
      const row = chainToRow(record);
      await db.transaction('rw', chainTables, async () => {
        if (await db.chains.get(row.chainId))
          throw new StoreConflictError('This chain is already in the wallet.');
        await db.chains.add(row);
        await db.heads.put({
          chainId: row.chainId,
          height: 0,
          blockHash: record.chainId,
          stateRoot: genesisState.root,
          time: record.genesis.genesisTime,
        });
        await db.stateEntries.bulkPut(
          genesisState.entries.flatMap(([name, bytes]) =>
            bytes ? [{ chainId: row.chainId, name, bytes }] : [],
          ),
        );
        await db.stateNodes.put({ chainId: row.chainId, height: 0, bytes: genesisState.nodes });
      });
    },

    async getChain(chainId) {
      const row = await db.chains.get(hex(chainId));
      return row && chainFromRow(row);
    },

    async listChains() {
      return (await db.chains.toArray()).map(chainFromRow);
    },

    async removeChain(chainId) {
      const id = hex(chainId);
      const range = (table: FreeholdDb['headers']) =>
        table.where('[chainId+height]').between([id, minKey], [id, maxKey], true, true);
      await db.transaction('rw', [...chainTables, db.outbox], async () => {
        await db.chains.delete(id);
        await db.heads.delete(id);
        await range(db.headers).delete();
        await range(db.blocks).delete();
        await range(db.certificates).delete();
        await range(db.stateNodes).delete();
        await db.stateEntries
          .where('[chainId+name]')
          .between([id, minKey], [id, maxKey], true, true)
          .delete();
        await db.outbox.where('chainId').equals(id).delete();
        await db.consensus.delete(id);
      });
    },

    async commitBlock(chainId, commit) {
      await commitBlocks(db, chainId, [commit]);
    },

    async commitBlocks(chainId, commits) {
      await commitBlocks(db, chainId, commits);
    },

    async getHead(chainId) {
      const head = await db.heads.get(hex(chainId));
      return (
        head && {
          height: head.height,
          blockHash: head.blockHash,
          stateRoot: head.stateRoot,
          time: head.time,
        }
      );
    },

    async getHeader(chainId, height) {
      const row = await db.headers.get([hex(chainId), height]);
      return row && headerFromBytes(row.bytes);
    },

    async getHeaders(chainId, from, to) {
      const id = hex(chainId);
      const rows = await db.headers
        .where('[chainId+height]')
        .between([id, from], [id, to], true, true)
        .toArray();
      return rows.map((r) => headerFromBytes(r.bytes));
    },

    async getBlock(chainId, height) {
      const row = await db.blocks.get([hex(chainId), height]);
      return row && blockFromBytes(row.bytes);
    },

    async putCertificate(chainId, certificate) {
      const id = hex(chainId);
      await db.transaction('rw', [db.chains, db.certificates], async () => {
        if (!(await db.chains.get(id)))
          throw new UnknownChainError('This chain is not in the wallet.');
        await db.certificates.put({
          chainId: id,
          height: certificate.height,
          bytes: certificateToBytes(certificate),
        });
      });
    },

    async getCertificate(chainId, height) {
      const row = await db.certificates.get([hex(chainId), height]);
      return row && certificateFromBytes(row.bytes);
    },

    async loadState(chainId) {
      const id = hex(chainId);
      return db.transaction('r', [db.heads, db.stateEntries, db.stateNodes], async () => {
        const head = await db.heads.get(id);
        if (!head) return undefined;
        const entries = await db.stateEntries
          .where('[chainId+name]')
          .between([id, minKey], [id, maxKey], true, true)
          .toArray();
        const nodes = await db.stateNodes
          .where('[chainId+height]')
          .between([id, minKey], [id, maxKey], true, true)
          .toArray();
        return {
          height: head.height,
          time: head.time,
          root: head.stateRoot,
          entries: entries.map((e) => [e.name, e.bytes] as [string, Uint8Array]),
          nodes: nodes.map((n) => n.bytes),
        };
      });
    },

    async putConsensusState(chainId, bytes) {
      const id = hex(chainId);
      await db.transaction('rw', [db.chains, db.consensus], async () => {
        if (!(await db.chains.get(id)))
          throw new UnknownChainError('This chain is not in the wallet.');
        if (bytes) await db.consensus.put({ chainId: id, bytes });
        else await db.consensus.delete(id);
      });
    },

    async getConsensusState(chainId) {
      return (await db.consensus.get(hex(chainId)))?.bytes;
    },

    async putOutbox(item) {
      await db.outbox.put(outboxToRow(item));
    },

    async listOutbox(chainId) {
      const rows = chainId
        ? await db.outbox.where('chainId').equals(hex(chainId)).toArray()
        : await db.outbox.toArray();
      return rows.sort((a, b) => a.createdAt - b.createdAt).map(outboxFromRow);
    },

    async deleteOutbox(txId) {
      await db.outbox.delete(hex(txId));
    },

    async putPeer(peer) {
      await db.peers.put(peerToRow(peer));
    },

    async listPeers() {
      return (await db.peers.toArray()).map(peerFromRow);
    },

    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

/** Blocks, their certificates, state changes and the new head, in one IndexedDB transaction. */
async function commitBlocks(
  db: FreeholdDb,
  chainId: Uint8Array,
  commits: readonly BlockCommit[],
): Promise<void> {
  const id = hex(chainId);
  // Encode outside the transaction: IndexedDB transactions end when they wait on nothing.
  const encoded = commits.map(commitToRows);
  await db.transaction(
    'rw',
    [db.heads, db.headers, db.blocks, db.certificates, db.stateEntries, db.stateNodes],
    async () => {
      const head = await db.heads.get(id);
      if (!head) throw new UnknownChainError('This chain is not in the wallet.');
      checkFollows(head.height, commits);
      for (const [i, { block, diff }] of commits.entries()) {
        const h = block.header.height;
        const r = encoded[i]!;
        const puts = diff.entries.flatMap(([name, value]) =>
          value ? [{ chainId: id, name, bytes: value }] : [],
        );
        const deletes = diff.entries.flatMap(([name, value]) =>
          value ? [] : [[id, name] as [string, string]],
        );
        await db.headers.put({ chainId: id, height: h, bytes: r.header });
        await db.blocks.put({ chainId: id, height: h, bytes: r.block });
        if (r.certificates.length)
          await db.certificates.bulkPut(
            r.certificates.map(([height, bytes]) => ({ chainId: id, height, bytes })),
          );
        if (puts.length) await db.stateEntries.bulkPut(puts);
        if (deletes.length) await db.stateEntries.bulkDelete(deletes);
        await db.stateNodes.put({ chainId: id, height: h, bytes: diff.nodes });
      }
      const last = commits[commits.length - 1];
      if (last) {
        await db.heads.put({
          chainId: id,
          height: last.block.header.height,
          blockHash: last.blockHash,
          stateRoot: last.diff.root,
          time: last.block.header.time,
        });
      }
    },
  );
}
