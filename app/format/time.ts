// Times as people read them: "just now", "3 min ago", or a date.
export function formatWhen(time: number, now: number): string {
  const s = Math.round((now - time) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(time).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** "5 minutes", "1 hour", "off" */
export function formatDuration(ms: number): string {
  if (ms === 0) return 'off';
  const min = Math.round(ms / 60_000);
  if (min < 60) return min === 1 ? '1 minute' : `${min} minutes`;
  const h = Math.round(min / 60);
  return h === 1 ? '1 hour' : `${h} hours`;
}

/** did:key:z6MkhaXg…Vbz2 — long identifiers shortened for lists; the full one is one click away. */
export function shortId(id: string, keep = 6): string {
  if (id.length <= keep * 2 + 12) return id;
  const head = id.startsWith('did:key:') ? id.slice(0, 8 + keep) : id.slice(0, keep);
  return `${head}…${id.slice(-keep)}`;
}
