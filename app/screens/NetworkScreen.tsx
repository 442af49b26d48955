// Network: peers by how they are reached, each chain's sync progress, and whether this
// browser keeps the wallet's storage when space runs low.
import type { PeerLink, Transport } from '../../src/net/Network';
import { Badge, Card, Empty, Progress } from '../components/ui';
import { shortId } from '../format/time';
import { useApp } from '../store/useApp';

const TRANSPORT: Record<Transport, string> = {
  tcp: 'LAN (TCP)',
  websocket: 'LAN or household node (WebSocket)',
  webrtc: 'Direct (WebRTC)',
  relay: 'Through a relay',
  other: 'Other',
};

export function NetworkScreen() {
  const links = useApp((s) => s.links);
  const chains = useApp((s) => s.chains);
  const online = useApp((s) => s.online);
  const persisted = useApp((s) => s.persisted);
  const byTransport = new Map<Transport, PeerLink[]>();
  for (const l of links) byTransport.set(l.transport, [...(byTransport.get(l.transport) ?? []), l]);
  return (
    <>
      <h1>Network</h1>
      <Card title="This device">
        <p>
          {online ? (
            <Badge tone="good">Network available</Badge>
          ) : (
            <Badge tone="queued">Offline</Badge>
          )}{' '}
          {persisted === null ? (
            <Badge tone="neutral">Storage: not asked yet</Badge>
          ) : persisted ? (
            <Badge tone="good">Storage: kept by the browser</Badge>
          ) : (
            <Badge tone="wait">Storage: may be cleared if space runs low</Badge>
          )}
        </p>
        {persisted === false && (
          <p className="hint">
            The browser did not promise to keep this wallet&apos;s data. Keep your recovery phrase
            safe and export a wallet file from Settings now and then.
          </p>
        )}
      </Card>
      <Card title="Sync">
        {chains.length === 0 ? (
          <Empty>No chain to sync.</Empty>
        ) : (
          chains.map((c) => (
            <div key={c.id} className="sync-row">
              <div className="sync-label">
                <strong>{c.name}</strong>
                <span className="muted">
                  {c.status.height >= c.status.target
                    ? `Up to date at block ${c.status.height}`
                    : `Block ${c.status.height} of ${c.status.target}`}
                </span>
              </div>
              <Progress value={c.status.height} max={c.status.target} label={`Sync of ${c.name}`} />
            </div>
          ))
        )}
      </Card>
      <Card title="Peers">
        {links.length === 0 ? (
          <Empty>No peer connected. Transactions wait on this device until one is.</Empty>
        ) : (
          [...byTransport].map(([transport, ls]) => (
            <div key={transport} className="peer-group">
              <h3>
                {TRANSPORT[transport]} <span className="muted">· {ls.length}</span>
              </h3>
              <ul className="peers">
                {ls.map((l, i) => (
                  <li key={`${l.peer}-${i}`}>
                    <code title={l.peer}>{shortId(l.peer)}</code>
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </Card>
    </>
  );
}
