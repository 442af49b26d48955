// The frame around every screen once unlocked: the chain picker and lock button on top, the
// offline banner, the navigation, and the screen itself.
import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../store/useApp';
import type { Screen } from '../store/createUiSlice';
import { Brand, Button } from './ui';

const NAV: { screen: Screen; label: string }[] = [
  { screen: 'wallet', label: 'Wallet' },
  { screen: 'activity', label: 'Activity' },
  { screen: 'records', label: 'Records' },
  { screen: 'governance', label: 'Governance' },
  { screen: 'chains', label: 'Chains' },
  { screen: 'identities', label: 'Identities' },
  { screen: 'network', label: 'Network' },
  { screen: 'settings', label: 'Settings' },
];

export function OfflineBanner() {
  const online = useApp((s) => s.online);
  const peers = useApp((s) => new Set(s.links.map((l) => l.peer)).size);
  const queued = useApp((s) =>
    s.chains.reduce(
      (n, c) =>
        n + c.activity.filter((a) => a.status === 'queued' || a.status === 'pending').length,
      0,
    ),
  );
  const joined = useApp((s) => s.chains.length);
  if (online && (peers > 0 || joined === 0)) return null;
  const what =
    queued === 0
      ? 'nothing waiting'
      : queued === 1
        ? '1 transaction queued; it is sent'
        : `${queued} transactions queued; they are sent`;
  const when = online ? 'when a peer appears' : 'when the network is back';
  const text = `${online ? 'No peers reachable' : 'Offline'} — ${what}${queued > 0 ? ` ${when}` : ''}.`;
  return (
    <div className="banner" role="status">
      {text}
    </div>
  );
}

export function Shell(props: { children: ReactNode }) {
  const screen = useApp((s) => s.screen);
  const go = useApp((s) => s.go);
  const chains = useApp((s) => s.chains);
  const selected = useApp((s) => s.selectedChain);
  const selectChain = useApp((s) => s.selectChain);
  const lock = useApp((s) => s.lock);
  const notice = useApp((s) => s.notice);
  const shown = useRef<HTMLParagraphElement>(null);
  // After an action, focus goes to its result, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (notice) shown.current?.focus();
  }, [notice]);
  return (
    <div className="shell">
      <header className="topbar">
        <Brand />
        {chains.length > 0 && (
          <select
            className="chain-picker"
            aria-label="Chain"
            value={selected ?? ''}
            onChange={(e) => selectChain(e.target.value)}
          >
            {chains.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
        <Button onClick={lock}>Lock</Button>
      </header>
      <OfflineBanner />
      <div className="body">
        <nav className="nav" aria-label="Screens">
          <ul>
            {NAV.map((n) => (
              <li key={n.screen}>
                <button
                  type="button"
                  className={n.screen === screen ? 'nav-item active' : 'nav-item'}
                  aria-current={n.screen === screen ? 'page' : undefined}
                  onClick={() => go(n.screen)}
                >
                  {n.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="main">
          {notice && (
            <p className={`notice ${notice.kind}`} role="status" ref={shown} tabIndex={-1}>
              {notice.text}
            </p>
          )}
          {props.children}
        </main>
      </div>
    </div>
  );
}
