/**
 * @module syncProtocol — the request/response protocol a node catches up through, without
 * gossip: one CBOR request, answered by a capped number of CBOR frames. Versioned in its
 * protocol id; every request names its chain. Requests: the latest header, headers, blocks or
 * light blocks by height, a state entry with its proof, and pending evidence. Every frame a
 * peer sends back is read through the checked decoders, and everything in it is verified by
 * the caller before use.
 */
import { decode, encode, DecodeError } from '../codec/cbor';
import { asArray, asBytes, asObject, asOneOf, asSafeUint, asString } from '../codec/read';
import {
  MAX_BLOCK_BYTES,
  readBlock,
  readCommitCertificate,
  readHeader,
  type Block,
  type BlockHeader,
  type CommitCertificate,
} from '../chain/block';
import { readEvidence, type DuplicateVoteEvidence } from '../chain/evidence';
import { readValidatorSet } from '../chain/validatorSet';
import type { LightBlock } from '../light/verifyLightBlock';

export const SYNC_PROTOCOL = '/freehold/sync/1.0.0';

/** Blocks per request: a catch-up is many requests, each answered in bounded memory. */
export const MAX_BLOCKS_PER_REQUEST = 256;
export const MAX_HEADERS_PER_REQUEST = 1024;
export const MAX_REQUEST_BYTES = 1024;
/** A frame holds one block with its certificate, or one light block. */
export const MAX_FRAME_BYTES = MAX_BLOCK_BYTES + 256 * 1024;

export type SyncRequest =
  | { kind: 'head'; chainId: Uint8Array }
  | { kind: 'headers'; chainId: Uint8Array; from: number; to: number }
  | { kind: 'blocks'; chainId: Uint8Array; from: number; to: number }
  | { kind: 'lightBlock'; chainId: Uint8Array; height: number }
  | { kind: 'proof'; chainId: Uint8Array; name: string }
  | { kind: 'evidence'; chainId: Uint8Array };

export type SyncErrorCode = 'badRequest' | 'unknownChain' | 'notFound' | 'rateLimited';

/** The head: its header and certificate, or height 0 when the chain has no block yet. */
export interface HeadAnswer {
  height: number;
  header: BlockHeader | null;
  certificate: CommitCertificate | null;
}

export interface BlockAnswer {
  block: Block;
  certificate: CommitCertificate;
}

export interface ProofAnswer {
  height: number;
  name: string;
  value: Uint8Array | null;
  proof: Uint8Array;
}

const KINDS = ['head', 'headers', 'blocks', 'lightBlock', 'proof', 'evidence'] as const;
const ERRORS: readonly SyncErrorCode[] = ['badRequest', 'unknownChain', 'notFound', 'rateLimited'];

export function encodeSyncRequest(request: SyncRequest): Uint8Array {
  return encode(request);
}

/** Reads a peer's request; throws DecodeError on anything malformed or out of range. */
export function readSyncRequest(bytes: Uint8Array): SyncRequest {
  const value = asObject(
    decode(bytes, MAX_REQUEST_BYTES),
    'request',
    ['kind', 'chainId'],
    ['from', 'to', 'height', 'name'],
  );
  const kind = asOneOf(value.kind, 'request.kind', KINDS);
  const chainId = asBytes(value.chainId, 'request.chainId', 32);
  switch (kind) {
    case 'head':
    case 'evidence':
      return { kind, chainId };
    case 'headers':
    case 'blocks': {
      const from = asSafeUint(value.from, 'request.from');
      const to = asSafeUint(value.to, 'request.to');
      const max = kind === 'blocks' ? MAX_BLOCKS_PER_REQUEST : MAX_HEADERS_PER_REQUEST;
      if (from < 1 || to < from || to - from >= max)
        throw new DecodeError(`A ${kind} request asks for 1 to ${max} heights in order.`);
      return { kind, chainId, from, to };
    }
    case 'lightBlock': {
      const height = asSafeUint(value.height, 'request.height');
      if (height < 1) throw new DecodeError('A light block request asks for a height from 1.');
      return { kind, chainId, height };
    }
    case 'proof':
      return { kind, chainId, name: asString(value.name, 'request.name', 256, 1) };
  }
}

export function errorFrame(code: SyncErrorCode, message: string): Uint8Array {
  return encode({ error: code, message });
}

export class SyncAnswerError extends DecodeError {
  readonly code: SyncErrorCode;
  constructor(code: SyncErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Decodes one frame; a frame carrying an error becomes a SyncAnswerError. */
function frame(bytes: Uint8Array): Record<string, unknown> {
  const value = decode(bytes, MAX_FRAME_BYTES);
  if (value !== null && typeof value === 'object' && 'error' in value) {
    const e = asObject(value, 'error', ['error', 'message']);
    throw new SyncAnswerError(
      asOneOf(e.error, 'error.error', ERRORS),
      asString(e.message, 'error.message', 500),
    );
  }
  return asObject(
    value,
    'answer',
    [],
    [
      'height',
      'header',
      'certificate',
      'block',
      'commit',
      'validators',
      'nextValidators',
      'name',
      'value',
      'proof',
      'evidence',
    ],
  );
}

export const answers = {
  head: (a: HeadAnswer): Uint8Array => encode(a),
  block: (a: BlockAnswer): Uint8Array => encode(a),
  header: (h: BlockHeader): Uint8Array => encode({ header: h }),
  lightBlock: (l: LightBlock): Uint8Array => encode(l),
  proof: (p: ProofAnswer): Uint8Array => encode(p),
  evidence: (list: readonly DuplicateVoteEvidence[]): Uint8Array => encode({ evidence: list }),
};

export const readAnswer = {
  head(bytes: Uint8Array): HeadAnswer {
    const v = frame(bytes);
    const height = asSafeUint(v.height, 'head.height');
    if (height === 0) return { height, header: null, certificate: null };
    const header = readHeader(v.header);
    const certificate = readCommitCertificate(v.certificate);
    if (header.height !== height || certificate.height !== height)
      throw new DecodeError('The head answer does not agree with itself.');
    return { height, header, certificate };
  },
  block(bytes: Uint8Array): BlockAnswer {
    const v = frame(bytes);
    return { block: readBlock(v.block), certificate: readCommitCertificate(v.certificate) };
  },
  header(bytes: Uint8Array): BlockHeader {
    return readHeader(frame(bytes).header);
  },
  lightBlock(bytes: Uint8Array): LightBlock {
    const v = frame(bytes);
    return {
      header: readHeader(v.header),
      commit: readCommitCertificate(v.commit),
      validators: readValidatorSet(v.validators),
      nextValidators: readValidatorSet(v.nextValidators, 'nextValidators'),
    };
  },
  proof(bytes: Uint8Array): ProofAnswer {
    const v = frame(bytes);
    return {
      height: asSafeUint(v.height, 'proof.height'),
      name: asString(v.name, 'proof.name', 256, 1),
      value: v.value === null ? null : asBytes(v.value, 'proof.value'),
      proof: asBytes(v.proof, 'proof.proof'),
    };
  },
  evidence(bytes: Uint8Array): DuplicateVoteEvidence[] {
    return asArray(frame(bytes).evidence, 'evidence', 1000).map((e) => readEvidence(e));
  },
};

/**
 * Requests a peer may make: a bucket of `burst` tokens per peer, refilled at `perSecond`.
 * A peer over the limit gets a rateLimited answer, not the work.
 */
export function createRateLimiter(perSecond: number, burst: number, now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (peer: string): boolean => {
    const t = now();
    const b = buckets.get(peer) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    buckets.set(peer, b);
    if (buckets.size > 10_000) buckets.delete(buckets.keys().next().value as string);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
}
