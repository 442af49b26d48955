// Activity on the selected chain, newest block first: final, pending, queued on this device (it
// can be cancelled there), rejected or cancelled (with why).
import { useState } from 'react';
import type { ChainView } from '../../src/node/createWallet';
import type { ActivityItem } from '../../src/node/walletActivity';
import { accountLabel, Did } from '../components/AccountName';
import { Amount } from '../components/Amount';
import { Badge, Button, Card, Empty, type Tone } from '../components/ui';
import { formatWhen } from '../format/time';
import { messageOf } from '../store/errors';
import { useApp, useSelectedChain } from '../store/useApp';
import { NoChain } from './NoChain';

const STATUS: Record<ActivityItem['status'], { tone: Tone; label: string }> = {
  final: { tone: 'good', label: 'Final' },
  pending: { tone: 'wait', label: 'Pending' },
  queued: { tone: 'queued', label: 'Queued offline' },
  rejected: { tone: 'bad', label: 'Rejected' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
};

/** Takes back a payment no peer has yet; says why when it cannot. */
function CancelButton(props: { chainId: string; txId: string }) {
  const cancel = useApp((s) => s.cancel);
  const notify = useApp((s) => s.notify);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        onClick={() =>
          cancel(props.chainId, props.txId).then(
            () => notify({ kind: 'success', text: 'Cancelled. Nothing was sent.' }),
            (e: unknown) => setError(messageOf(e)),
          )
        }
      >
        Cancel
      </Button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function describe(item: ActivityItem): string {
  switch (item.kind) {
    case 'transfer':
      return item.direction === 'in'
        ? 'Received'
        : item.direction === 'self'
          ? 'Moved between your accounts'
          : 'Sent';
    case 'mint':
      return 'Minted';
    case 'issueAsset':
      return `Issued ${item.subject}`;
    case 'registerRecord':
      return `Registered title “${item.subject}”`;
    case 'transferRecord':
      return item.direction === 'in'
        ? `Received title “${item.subject}”`
        : `Transferred title “${item.subject}”`;
    case 'propose':
      return `Proposed “${item.subject}”`;
    case 'vote':
      return `Voted ${item.subject}`;
  }
}

export function ActivityRow(props: { item: ActivityItem; chain: ChainView; now: number }) {
  const { item, chain } = props;
  const status = STATUS[item.status];
  return (
    <li className="activity-row">
      <div className="activity-main">
        <strong>{describe(item)}</strong>
        <span className="muted">
          {accountLabel(item.account)}
          {item.counterparty && (
            <>
              {item.direction === 'in' ? ' · from ' : ' · to '}
              <Did did={item.counterparty} />
            </>
          )}
          {' · '}
          {item.height > 0 ? `block ${item.height}` : 'not in a block yet'} ·{' '}
          {formatWhen(item.time, props.now)}
        </span>
        {(item.status === 'rejected' || item.status === 'cancelled') && (
          <span className="reason">{item.reason}</span>
        )}
      </div>
      <div className="activity-side">
        {item.amount && (
          <Amount
            amount={BigInt(item.amount)}
            asset={item.asset}
            assets={chain.assets}
            sign={item.direction === 'in' ? '+' : item.direction === 'out' ? '−' : undefined}
          />
        )}
        <Badge tone={status.tone}>{status.label}</Badge>
        {item.status === 'queued' && item.direction !== 'in' && (
          <CancelButton chainId={chain.id} txId={item.txId} />
        )}
      </div>
    </li>
  );
}

export function ActivityScreen() {
  const chain = useSelectedChain();
  if (!chain) return <NoChain />;
  const now = Date.now();
  return (
    <>
      <h1>Activity · {chain.name}</h1>
      <Card>
        {chain.activity.length === 0 ? (
          <Empty>Nothing yet. Payments and records you send or receive appear here.</Empty>
        ) : (
          <ul className="activity" aria-label="Transactions">
            {chain.activity.map((item) => (
              <ActivityRow key={item.txId} item={item} chain={chain} now={now} />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
