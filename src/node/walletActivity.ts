/**
 * @module walletActivity — what a transaction means to the wallet's own accounts: a payment in
 * or out, a title registered or moved, a proposal or a vote. Plain data the activity screen
 * shows; the wallet keeps one item per transaction that touches one of its accounts.
 */
import { bytesKey, bytesToHex } from '../crypto/bytes';
import { toDidKey } from '../crypto/didKey';
import type { SignedTransaction } from '../chain/transaction';

/** 'cancelled': taken back on this device before any peer had it. */
export type ActivityStatus = 'final' | 'pending' | 'queued' | 'rejected' | 'cancelled';

export interface ActivityItem {
  chainId: string;
  txId: string;
  status: ActivityStatus;
  /** Why it was rejected, in plain words; empty otherwise. */
  reason: string;
  kind: SignedTransaction['tx']['body']['kind'];
  /** 'out': one of ours signed it; 'in': it pays or gives one of ours; 'self': both. */
  direction: 'in' | 'out' | 'self';
  /** Our account involved (its index in the vault). */
  account: number;
  /** The other side, as did:key, when there is one. */
  counterparty: string;
  asset: string;
  /** A decimal string in the asset's smallest unit; empty when no amount moves. */
  amount: string;
  /** A record id, a proposal title, or a vote: what the item is about besides money. */
  subject: string;
  /** Block height once final; 0 before. */
  height: number;
  /** When it was signed here or, if not signed here, the time of its block. */
  time: number;
}

/** Account index by public key (bytesKey), for the accounts this wallet holds. */
export type OwnAccounts = ReadonlyMap<string, number>;

/** The item for `signed` when it touches one of `own`, else undefined. */
export function activityOf(
  signed: SignedTransaction,
  txId: Uint8Array,
  own: OwnAccounts,
  at: { status: ActivityStatus; height: number; time: number; reason?: string },
): ActivityItem | undefined {
  const { tx } = signed;
  const body = tx.body;
  const sender = own.get(bytesKey(tx.sender));
  const to = 'to' in body ? body.to : undefined;
  const receiver = to ? own.get(bytesKey(to)) : undefined;
  if (sender === undefined && receiver === undefined) return undefined;
  const direction = sender !== undefined ? (receiver !== undefined ? 'self' : 'out') : 'in';
  const counterparty =
    direction === 'in' ? toDidKey(tx.sender) : to && direction === 'out' ? toDidKey(to) : '';
  const item: ActivityItem = {
    chainId: bytesToHex(tx.chainId),
    txId: bytesToHex(txId),
    status: at.status,
    reason: at.reason ?? '',
    kind: body.kind,
    direction,
    account: (sender ?? receiver)!,
    counterparty,
    asset: '',
    amount: '',
    subject: '',
    height: at.height,
    time: at.time,
  };
  switch (body.kind) {
    case 'transfer':
    case 'mint':
      return { ...item, asset: body.asset, amount: body.amount.toString() };
    case 'issueAsset':
      return { ...item, asset: body.symbol, amount: body.supply.toString(), subject: body.name };
    case 'registerRecord':
    case 'transferRecord':
      return { ...item, subject: body.recordId };
    case 'propose':
      return { ...item, subject: body.title };
    case 'vote':
      return { ...item, subject: `${body.choice} on proposal ${body.proposalId}` };
  }
}
