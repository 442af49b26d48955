/**
 * @module lanBridgeProtocol — what crosses between the desktop app's renderer (where the node
 * and its keys live) and the Electron main process (which holds the LAN's TCP sockets). Only
 * bytes of the network cross: the renderer runs noise over each socket, so main sees
 * ciphertext and never a key. Many sockets share one channel, each named by an id. Every
 * message is read through `readBridgeMessage`, so a malformed one is dropped, not obeyed.
 */

/** Renderer → main. */
export type BridgeRequest =
  | { op: 'dial'; id: number; host: string; port: number }
  | { op: 'listen'; port: number }
  | { op: 'data'; id: number; bytes: Uint8Array }
  | { op: 'end'; id: number }
  /** What main answers mDNS queries with: the renderer's peer id and TCP addresses. */
  | { op: 'announce'; peer: string; addresses: string[] };

/** Main → renderer. */
export type BridgeEvent =
  | { op: 'opened'; id: number }
  | { op: 'failed'; id: number; reason: string }
  | { op: 'listening'; port: number; hosts: string[] }
  | { op: 'inbound'; id: number; host: string; port: number }
  | { op: 'data'; id: number; bytes: Uint8Array }
  | { op: 'closed'; id: number }
  /** A peer found on the LAN by mDNS, with its addresses (each ending in /p2p/<peer>). */
  | { op: 'discovered'; peer: string; addresses: string[] };

export type BridgeMessage = BridgeRequest | BridgeEvent;

/** Largest chunk of bytes one message carries. */
export const MAX_BRIDGE_CHUNK = 256 * 1024;
/** Sockets one renderer may hold open through main. */
export const MAX_BRIDGE_SOCKETS = 512;
/** Addresses one announcement or discovery carries; each at most 255 bytes (an mDNS TXT). */
export const MAX_BRIDGE_ADDRESSES = 16;

const isPeer = (v: unknown): v is string =>
  typeof v === 'string' && /^[1-9A-HJ-NP-Za-km-z]{40,100}$/.test(v);
const isAddressList = (v: unknown, peer: string): v is string[] =>
  Array.isArray(v) &&
  v.length <= MAX_BRIDGE_ADDRESSES &&
  v.every(
    (a) =>
      typeof a === 'string' &&
      a.length <= 255 &&
      a.startsWith('/ip4/') &&
      a.endsWith(`/p2p/${peer}`),
  );

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isPort = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65_535;
const isHost = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 64 && /^[0-9a-fA-F.:]+$/.test(v);

/** Bytes of one socket, in either direction. */
function readData(
  value: Record<string, unknown>,
): { op: 'data'; id: number; bytes: Uint8Array } | undefined {
  return isId(value.id) &&
    value.bytes instanceof Uint8Array &&
    value.bytes.byteLength <= MAX_BRIDGE_CHUNK
    ? { op: 'data', id: value.id, bytes: value.bytes }
    : undefined;
}

/** A request from the renderer, checked; undefined when it is not one. */
export function readBridgeRequest(value: unknown): BridgeRequest | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.op) {
    case 'dial':
      return isId(value.id) && isHost(value.host) && isPort(value.port) && value.port > 0
        ? { op: 'dial', id: value.id, host: value.host, port: value.port }
        : undefined;
    case 'listen':
      return isPort(value.port) ? { op: 'listen', port: value.port } : undefined;
    case 'data':
      return readData(value);
    case 'end':
      return isId(value.id) ? { op: 'end', id: value.id } : undefined;
    case 'announce':
      return isPeer(value.peer) && isAddressList(value.addresses, value.peer)
        ? { op: 'announce', peer: value.peer, addresses: value.addresses }
        : undefined;
    default:
      return undefined;
  }
}

/** An event from main, checked; undefined when it is not one. */
export function readBridgeEvent(value: unknown): BridgeEvent | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.op) {
    case 'opened':
    case 'closed':
      return isId(value.id) ? { op: value.op, id: value.id } : undefined;
    case 'failed':
      return isId(value.id) && typeof value.reason === 'string'
        ? { op: 'failed', id: value.id, reason: value.reason.slice(0, 200) }
        : undefined;
    case 'listening':
      return isPort(value.port) && Array.isArray(value.hosts) && value.hosts.every(isHost)
        ? { op: 'listening', port: value.port, hosts: value.hosts }
        : undefined;
    case 'inbound':
      return isId(value.id) && isHost(value.host) && isPort(value.port)
        ? { op: 'inbound', id: value.id, host: value.host, port: value.port }
        : undefined;
    case 'data':
      return readData(value);
    case 'discovered':
      return isPeer(value.peer) && isAddressList(value.addresses, value.peer)
        ? { op: 'discovered', peer: value.peer, addresses: value.addresses }
        : undefined;
    default:
      return undefined;
  }
}

/** The renderer's end of the channel (the preload exposes it in Electron). */
export interface LanBridge {
  send(request: BridgeRequest): void;
  /** Registers a listener for events from main; returns how to remove it. */
  onEvent(listener: (event: unknown) => void): () => void;
}
