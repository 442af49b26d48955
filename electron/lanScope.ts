// Which hosts the LAN bridge may dial and which of this machine's addresses it listens on:
// private ranges and link-local only (RFC 1918, RFC 4193, RFC 3927, RFC 4291 §2.5.6), never
// loopback (the user's own services) nor the public internet. Pure, so tested under Node.
import { isIPv4, isIPv6 } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';

/** What the bridge may reach; tests substitute loopback, the app never does. */
export interface LanScope {
  /** True when the renderer may dial `host`. */
  dialable(host: string): boolean;
  /** The local addresses to listen on (IPv4, as the renderer's addresses are /ip4/). */
  listenHosts(): string[];
}

function ipv4Bytes(host: string): number[] | null {
  return isIPv4(host) ? host.split('.').map(Number) : null;
}

function isLanIpv4([a, b]: number[]): boolean {
  return (
    a === 10 ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254)
  );
}

/** The first 16 bits of an IPv6 address, or null when it is not one. */
function ipv6Head(host: string): number | null {
  if (!isIPv6(host)) return null;
  const first = host.split(':')[0];
  return first === '' ? 0 : parseInt(first!, 16);
}

/** True for a private or link-local IPv4 or IPv6 address (an IPv4-mapped one read as IPv4). */
export function isLanAddress(host: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  const v4 = ipv4Bytes(mapped ? mapped[1]! : host);
  if (v4) return isLanIpv4(v4);
  const head = ipv6Head(host.replace(/%.*$/, ''));
  if (head === null) return false;
  // fc00::/7 (unique local) and fe80::/10 (link-local).
  return (head & 0xfe00) === 0xfc00 || (head & 0xffc0) === 0xfe80;
}

/** This machine's private and link-local IPv4 addresses. */
export function lanListenHosts(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const hosts: string[] = [];
  for (const list of Object.values(interfaces))
    for (const a of list ?? [])
      if (a.family === 'IPv4' && !a.internal && isLanAddress(a.address)) hosts.push(a.address);
  return hosts;
}
