/**
 * @module topics — the gossip topics of one chain and the size cap of each. A topic's name
 * carries the chain id and a version, so nodes of different chains (or versions) never mix.
 */
import { bytesToHex } from '../crypto/bytes';
import { decode, encode } from '../codec/cbor';
import { asObject } from '../codec/read';
import {
  MAX_BLOCK_BYTES,
  readCommitCertificate,
  readHeader,
  type BlockHeader,
  type CommitCertificate,
} from '../chain/block';
import { MAX_TRANSACTION_BYTES } from '../chain/transaction';

export type TopicKind = 'tx' | 'consensus' | 'headers' | 'evidence';

export const TOPIC_MAX_BYTES: Record<TopicKind, number> = {
  tx: MAX_TRANSACTION_BYTES + 1024,
  consensus: MAX_BLOCK_BYTES + 64 * 1024,
  headers: 128 * 1024,
  evidence: 8 * 1024,
};

export function topicOf(chainId: Uint8Array, kind: TopicKind): string {
  return `/freehold/${bytesToHex(chainId)}/${kind}/1`;
}

/** A committed head, announced on the headers topic: followers and light nodes learn from it. */
export interface HeadAnnouncement {
  header: BlockHeader;
  certificate: CommitCertificate;
}

export function encodeAnnouncement(a: HeadAnnouncement): Uint8Array {
  return encode({ header: a.header, certificate: a.certificate });
}

export function decodeAnnouncement(bytes: Uint8Array): HeadAnnouncement {
  const v = asObject(decode(bytes, TOPIC_MAX_BYTES.headers), 'announcement', [
    'header',
    'certificate',
  ]);
  return { header: readHeader(v.header), certificate: readCommitCertificate(v.certificate) };
}
