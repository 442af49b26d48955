/**
 * @module transaction — what an account signs: chain id, sender, nonce and one kind of action.
 * The signature covers domain-separated bytes (codec/signingBytes); the tx id is the tagged
 * hash of the whole signed transaction's canonical bytes.
 */
import { DecodeError, decode, encode } from '../codec/cbor';
import { idOfBytes } from '../codec/ids';
import {
  asBytes,
  asObject,
  asRecord,
  asOneOf,
  asSafeUint,
  asString,
  asUint,
  asNullable,
} from '../codec/read';
import { signingBytes } from '../codec/signingBytes';
import { verify } from '../crypto/ed25519';
import { readFraction, type Fraction } from './fraction';
import { MAX_AMOUNT, readGovernanceRules, type GovernanceRules } from './genesis';
import { MalformedTransactionError } from './rejections';
import { MAX_NAME_LENGTH } from './validatorSet';

export const MAX_TRANSACTION_BYTES = 16 * 1024;
// Text limits are in UTF-8 bytes, what the encoding stores and a block carries: counted in
// UTF-16 code units, 4000 characters of a 3-byte script would be 12,000 bytes.
export const MAX_RECORD_ID_BYTES = 128;
export const MAX_METADATA_ENTRIES = 16;
export const MAX_METADATA_KEY_BYTES = 32;
export const MAX_METADATA_VALUE_BYTES = 256;
export const MAX_TITLE_BYTES = 120;
export const MAX_TEXT_BYTES = 4000;

export type VoteChoice = 'yes' | 'no' | 'abstain';

export type ProposalAction =
  | { type: 'addValidator'; publicKey: Uint8Array; power: number; name: string }
  | { type: 'removeValidator'; publicKey: Uint8Array }
  | { type: 'setPower'; publicKey: Uint8Array; power: number }
  | { type: 'setThreshold'; threshold: Fraction }
  | { type: 'setGovernance'; rules: GovernanceRules }
  | { type: 'text'; text: string };

export type TxBody =
  | { kind: 'transfer'; asset: string; to: Uint8Array; amount: bigint }
  | {
      kind: 'issueAsset';
      symbol: string;
      name: string;
      decimals: number;
      supply: bigint;
      minter: Uint8Array | null;
    }
  | { kind: 'mint'; asset: string; to: Uint8Array; amount: bigint }
  | {
      kind: 'registerRecord';
      recordId: string;
      contentHash: Uint8Array;
      metadata: Record<string, string>;
    }
  | { kind: 'transferRecord'; recordId: string; to: Uint8Array }
  | { kind: 'propose'; title: string; action: ProposalAction }
  | { kind: 'vote'; proposalId: number; choice: VoteChoice };

export type TxKind = TxBody['kind'];

export interface Transaction {
  chainId: Uint8Array;
  /** The sender's ed25519 public key. */
  sender: Uint8Array;
  /** Must equal the sender's count of applied transactions: orders them and stops replays. */
  nonce: number;
  body: TxBody;
}

export interface SignedTransaction {
  tx: Transaction;
  signature: Uint8Array;
}

export function transactionSigningBytes(tx: Transaction): Uint8Array {
  return signingBytes(tx.chainId, 'transaction', tx);
}

export function signTransaction(
  tx: Transaction,
  sign: (message: Uint8Array) => Uint8Array,
): SignedTransaction {
  return { tx, signature: sign(transactionSigningBytes(tx)) };
}

export function verifyTransactionSignature(signed: SignedTransaction): boolean {
  return verify(signed.signature, transactionSigningBytes(signed.tx), signed.tx.sender);
}

export function encodeTransaction(signed: SignedTransaction): Uint8Array {
  return encode(signed);
}

export function txIdOfBytes(bytes: Uint8Array): Uint8Array {
  return idOfBytes('transaction', bytes);
}

/** Id and encoded size by transaction object: protocol values are never mutated. */
const txFacts = new WeakMap<SignedTransaction, { id: Uint8Array; size: number }>();

function factsOf(signed: SignedTransaction): { id: Uint8Array; size: number } {
  let facts = txFacts.get(signed);
  if (!facts) {
    const bytes = encodeTransaction(signed);
    txFacts.set(signed, (facts = { id: txIdOfBytes(bytes), size: bytes.length }));
  }
  return facts;
}

export function txIdOf(signed: SignedTransaction): Uint8Array {
  return factsOf(signed).id.slice();
}

/** The length of the transaction's canonical encoding: what it adds to a block. */
export function txSizeOf(signed: SignedTransaction): number {
  return factsOf(signed).size;
}

/** The UTF-8 length of a string, as the encoder writes it (a lone surrogate as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Text of at most `maxBytes` UTF-8 bytes and at least `minLength` characters. */
function asText(value: unknown, path: string, maxBytes: number, minLength = 0): string {
  const text = asString(value, path, Number.MAX_SAFE_INTEGER, minLength);
  if (utf8Length(text) > maxBytes)
    throw new DecodeError(`Field ${path} must be at most ${maxBytes} bytes of UTF-8 text.`);
  return text;
}

function readAction(value: unknown, path: string): ProposalAction {
  const type = asOneOf(
    asObject(value, path, ['type'], ['publicKey', 'power', 'name', 'threshold', 'rules', 'text'])
      .type,
    `${path}.type`,
    [
      'addValidator',
      'removeValidator',
      'setPower',
      'setThreshold',
      'setGovernance',
      'text',
    ] as const,
  );
  switch (type) {
    case 'addValidator': {
      const a = asObject(value, path, ['type', 'publicKey', 'power', 'name']);
      return {
        type,
        publicKey: asBytes(a.publicKey, `${path}.publicKey`, 32),
        power: asSafeUint(a.power, `${path}.power`),
        name: asText(a.name, `${path}.name`, MAX_NAME_LENGTH),
      };
    }
    case 'removeValidator': {
      const a = asObject(value, path, ['type', 'publicKey']);
      return { type, publicKey: asBytes(a.publicKey, `${path}.publicKey`, 32) };
    }
    case 'setPower': {
      const a = asObject(value, path, ['type', 'publicKey', 'power']);
      return {
        type,
        publicKey: asBytes(a.publicKey, `${path}.publicKey`, 32),
        power: asSafeUint(a.power, `${path}.power`),
      };
    }
    case 'setThreshold': {
      const a = asObject(value, path, ['type', 'threshold']);
      return { type, threshold: readFraction(a.threshold, `${path}.threshold`) };
    }
    case 'setGovernance': {
      const a = asObject(value, path, ['type', 'rules']);
      return { type, rules: readGovernanceRules(a.rules, `${path}.rules`) };
    }
    case 'text': {
      const a = asObject(value, path, ['type', 'text']);
      return { type, text: asText(a.text, `${path}.text`, MAX_TEXT_BYTES) };
    }
  }
}

export function readMetadata(value: unknown, path: string): Record<string, string> {
  const obj = asRecord(value, path, MAX_METADATA_ENTRIES);
  const out: Record<string, string> = {};
  for (const k of Object.keys(obj)) {
    asText(k, `${path} key`, MAX_METADATA_KEY_BYTES, 1);
    out[k] = asText(obj[k], `${path}.${k}`, MAX_METADATA_VALUE_BYTES);
  }
  return out;
}

export function readBody(value: unknown, path = 'tx.body'): TxBody {
  const kind = asOneOf((value as { kind?: unknown } | null)?.kind, `${path}.kind`, [
    'transfer',
    'issueAsset',
    'mint',
    'registerRecord',
    'transferRecord',
    'propose',
    'vote',
  ] as const);
  switch (kind) {
    case 'transfer':
    case 'mint': {
      const b = asObject(value, path, ['kind', 'asset', 'to', 'amount']);
      return {
        kind,
        asset: asText(b.asset, `${path}.asset`, 12),
        to: asBytes(b.to, `${path}.to`, 32),
        amount: asUint(b.amount, `${path}.amount`, MAX_AMOUNT),
      };
    }
    case 'issueAsset': {
      const b = asObject(value, path, ['kind', 'symbol', 'name', 'decimals', 'supply', 'minter']);
      return {
        kind,
        symbol: asText(b.symbol, `${path}.symbol`, 12),
        name: asText(b.name, `${path}.name`, MAX_NAME_LENGTH),
        decimals: asSafeUint(b.decimals, `${path}.decimals`),
        supply: asUint(b.supply, `${path}.supply`, MAX_AMOUNT),
        minter: asNullable(b.minter, (m) => asBytes(m, `${path}.minter`, 32)),
      };
    }
    case 'registerRecord': {
      const b = asObject(value, path, ['kind', 'recordId', 'contentHash', 'metadata']);
      return {
        kind,
        recordId: asText(b.recordId, `${path}.recordId`, MAX_RECORD_ID_BYTES, 1),
        contentHash: asBytes(b.contentHash, `${path}.contentHash`, 32),
        metadata: readMetadata(b.metadata, `${path}.metadata`),
      };
    }
    case 'transferRecord': {
      const b = asObject(value, path, ['kind', 'recordId', 'to']);
      return {
        kind,
        recordId: asText(b.recordId, `${path}.recordId`, MAX_RECORD_ID_BYTES, 1),
        to: asBytes(b.to, `${path}.to`, 32),
      };
    }
    case 'propose': {
      const b = asObject(value, path, ['kind', 'title', 'action']);
      return {
        kind,
        title: asText(b.title, `${path}.title`, MAX_TITLE_BYTES, 1),
        action: readAction(b.action, `${path}.action`),
      };
    }
    case 'vote': {
      const b = asObject(value, path, ['kind', 'proposalId', 'choice']);
      return {
        kind,
        proposalId: asSafeUint(b.proposalId, `${path}.proposalId`),
        choice: asOneOf(b.choice, `${path}.choice`, ['yes', 'no', 'abstain'] as const),
      };
    }
  }
}

export function readSignedTransaction(value: unknown, path = 'signedTx'): SignedTransaction {
  const s = asObject(value, path, ['tx', 'signature']);
  const t = asObject(s.tx, `${path}.tx`, ['chainId', 'sender', 'nonce', 'body']);
  return {
    tx: {
      chainId: asBytes(t.chainId, `${path}.tx.chainId`, 32),
      sender: asBytes(t.sender, `${path}.tx.sender`, 32),
      nonce: asSafeUint(t.nonce, `${path}.tx.nonce`),
      body: readBody(t.body, `${path}.tx.body`),
    },
    signature: asBytes(s.signature, `${path}.signature`, 64),
  };
}

/** Decodes a transaction from bytes a peer or a file gave us; any flaw is a typed rejection. */
export function decodeTransaction(bytes: Uint8Array): SignedTransaction {
  if (bytes.length > MAX_TRANSACTION_BYTES) {
    throw new MalformedTransactionError(`A transaction is at most ${MAX_TRANSACTION_BYTES} bytes.`);
  }
  try {
    return readSignedTransaction(decode(bytes));
  } catch (cause) {
    if (cause instanceof DecodeError) {
      throw new MalformedTransactionError('The transaction is malformed.', {
        details: cause.shortMessage,
        cause,
      });
    }
    throw cause;
  }
}
