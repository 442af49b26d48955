/**
 * @module lanBridgeTransport — a libp2p transport for the desktop app's renderer: TCP to and
 * from the LAN, with the sockets held by the Electron main process and their bytes carried
 * over the LAN bridge (lanBridgeProtocol). Everything above the raw bytes (noise, yamux,
 * gossip) runs here, beside the keys; main sees ciphertext only.
 */
import {
  serviceCapabilities,
  transportSymbol,
  TypedEventEmitter,
  type ComponentLogger,
  type Connection,
  type CreateListenerOptions,
  type DialTransportOptions,
  type Listener,
  type ListenerEvents,
  type MultiaddrConnection,
  type Transport,
  type Upgrader,
} from '@libp2p/interface';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { pushable, type Pushable } from 'it-pushable';
import type { Uint8ArrayList } from 'uint8arraylist';
import type { Network } from './Network';
import {
  MAX_BRIDGE_ADDRESSES,
  MAX_BRIDGE_CHUNK,
  readBridgeEvent,
  type BridgeEvent,
  type LanBridge,
} from './lanBridgeProtocol';

/** How long a dial through main may take before it counts as failed. */
const DIAL_TIMEOUT_MS = 10_000;

interface Socket {
  incoming: Pushable<Uint8Array>;
  closed: boolean;
}

/** Host and port of a /ip4/…/tcp/… address (port 0: any, to listen on), or null if not one. */
function tcpTarget(ma: Multiaddr): { host: string; port: number } | null {
  const parts = ma.toString().split('/');
  // ['', 'ip4', host, 'tcp', port, ...rest] — /ws or /p2p-circuit are other transports' work.
  if (parts[1] !== 'ip4' || parts[3] !== 'tcp') return null;
  const rest = parts.slice(5);
  if (rest.length > 0 && rest[0] !== 'p2p') return null;
  const port = Number(parts[4]);
  return Number.isInteger(port) && port >= 0 && port < 65_536 ? { host: parts[2]!, port } : null;
}

class LanBridgeTransport implements Transport {
  readonly [transportSymbol] = true as const;
  readonly [Symbol.toStringTag] = '@freehold/lan-bridge';
  readonly [serviceCapabilities] = ['@libp2p/transport'];

  private readonly sockets = new Map<number, Socket>();
  private readonly pending = new Map<number, (event: BridgeEvent) => void>();
  private readonly listeners = new Set<LanBridgeListener>();
  private nextId = 1;

  constructor(
    private readonly bridge: LanBridge,
    private readonly logger: ComponentLogger,
  ) {
    bridge.onEvent((value) => {
      const event = readBridgeEvent(value);
      if (event) this.onEvent(event);
    });
  }

  private onEvent(event: BridgeEvent): void {
    switch (event.op) {
      case 'opened':
      case 'failed':
        this.pending.get(event.id)?.(event);
        return;
      case 'data':
        this.sockets.get(event.id)?.incoming.push(event.bytes);
        return;
      case 'closed': {
        const socket = this.sockets.get(event.id);
        this.sockets.delete(event.id);
        if (socket && !socket.closed) {
          socket.closed = true;
          socket.incoming.end();
        }
        this.pending.get(event.id)?.({ op: 'failed', id: event.id, reason: 'closed' });
        return;
      }
      case 'listening':
        for (const l of this.listeners) l.onListening(event.port, event.hosts);
        return;
      case 'inbound':
        for (const l of this.listeners) {
          const remote = multiaddr(`/ip4/${event.host}/tcp/${event.port}`);
          void l.onInbound(this.connectionOf(event.id, remote, 'inbound'));
        }
        return;
    }
  }

  /** The MultiaddrConnection over one bridged socket. */
  connectionOf(id: number, remoteAddr: Multiaddr, direction: string): MultiaddrConnection {
    const socket: Socket = { incoming: pushable<Uint8Array>(), closed: false };
    this.sockets.set(id, socket);
    const bridge = this.bridge;
    const close = (): void => {
      if (socket.closed) return;
      socket.closed = true;
      socket.incoming.end();
      this.sockets.delete(id);
      bridge.send({ op: 'end', id });
      maConn.timeline.close = Date.now();
    };
    const maConn: MultiaddrConnection = {
      source: socket.incoming,
      async sink(source: AsyncIterable<Uint8Array | Uint8ArrayList>) {
        try {
          for await (const chunk of source) {
            const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
            for (let i = 0; i < bytes.byteLength; i += MAX_BRIDGE_CHUNK)
              bridge.send({ op: 'data', id, bytes: bytes.slice(i, i + MAX_BRIDGE_CHUNK) });
          }
        } finally {
          bridge.send({ op: 'end', id });
        }
      },
      remoteAddr,
      timeline: { open: Date.now() },
      close: () => Promise.resolve(close()),
      abort: () => close(),
      log: this.logger.forComponent(`freehold:lan-bridge:${direction}`),
    };
    return maConn;
  }

  async dial(ma: Multiaddr, options: DialTransportOptions): Promise<Connection> {
    const target = tcpTarget(ma);
    if (!target || target.port === 0)
      throw new Error(`The LAN bridge dials TCP addresses only, not ${ma.toString()}`);
    const id = this.nextId++;
    const outcome = await new Promise<BridgeEvent>((resolve) => {
      const timer = setTimeout(
        () => resolve({ op: 'failed', id, reason: 'timed out' }),
        DIAL_TIMEOUT_MS,
      );
      const abort = (): void => resolve({ op: 'failed', id, reason: 'aborted' });
      options.signal.addEventListener('abort', abort, { once: true });
      this.pending.set(id, (event) => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', abort);
        resolve(event);
      });
      this.bridge.send({ op: 'dial', id, host: target.host, port: target.port });
    });
    this.pending.delete(id);
    if (outcome.op !== 'opened') {
      this.bridge.send({ op: 'end', id });
      throw new Error(
        `Could not reach ${ma.toString()}: ${outcome.op === 'failed' ? outcome.reason : ''}`,
      );
    }
    const maConn = this.connectionOf(id, ma, 'outbound');
    try {
      return await options.upgrader.upgradeOutbound(maConn, options);
    } catch (error) {
      maConn.abort(error as Error);
      throw error;
    }
  }

  createListener(options: CreateListenerOptions): Listener {
    const listener = new LanBridgeListener(this.bridge, options.upgrader, () =>
      this.listeners.delete(listener),
    );
    this.listeners.add(listener);
    return listener;
  }

  listenFilter(multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter((ma) => tcpTarget(ma) !== null);
  }

  dialFilter(multiaddrs: Multiaddr[]): Multiaddr[] {
    return multiaddrs.filter((ma) => (tcpTarget(ma)?.port ?? 0) > 0);
  }
}

class LanBridgeListener extends TypedEventEmitter<ListenerEvents> implements Listener {
  private addrs: Multiaddr[] = [];
  private ready: (() => void) | null = null;

  constructor(
    private readonly bridge: LanBridge,
    private readonly upgrader: Upgrader,
    private readonly forget: () => void,
  ) {
    super();
  }

  async listen(ma: Multiaddr): Promise<void> {
    const port = tcpTarget(ma)?.port ?? 0;
    await new Promise<void>((resolve) => {
      this.ready = resolve;
      this.bridge.send({ op: 'listen', port });
    });
    this.safeDispatchEvent('listening');
  }

  onListening(port: number, hosts: string[]): void {
    this.addrs = hosts.map((h) => multiaddr(`/ip4/${h}/tcp/${port}`));
    this.ready?.();
    this.ready = null;
  }

  async onInbound(maConn: MultiaddrConnection): Promise<void> {
    try {
      await this.upgrader.upgradeInbound(maConn, { signal: AbortSignal.timeout(30_000) });
    } catch {
      maConn.abort(new Error('The inbound connection could not be upgraded.'));
    }
  }

  getAddrs(): Multiaddr[] {
    return this.addrs;
  }

  updateAnnounceAddrs(): void {}

  close(): Promise<void> {
    this.forget();
    this.safeDispatchEvent('close');
    return Promise.resolve();
  }
}

/** The transport factory libp2p takes: `transports: [lanBridgeTransport(bridge)]`. */
export function lanBridgeTransport(
  bridge: LanBridge,
): (components: { logger: ComponentLogger }) => Transport {
  return (components) => new LanBridgeTransport(bridge, components.logger);
}

/** How often the renderer tells main which addresses to answer mDNS queries with. */
const ANNOUNCE_MS = 5000;

/**
 * LAN discovery through the bridge: keeps main told of this node's TCP addresses (it answers
 * mDNS with them) and dials the peers main's mDNS hears of. Returns how to stop.
 */
export function discoverOverBridge(network: Network, bridge: LanBridge): () => void {
  const announce = (): void => {
    const addresses = network
      .addresses()
      .filter((a) => a.startsWith('/ip4/') && /\/tcp\/\d+\/p2p\//.test(a))
      .slice(0, MAX_BRIDGE_ADDRESSES);
    if (addresses.length > 0) bridge.send({ op: 'announce', peer: network.peerId, addresses });
  };
  const stopListening = bridge.onEvent((value) => {
    const event = readBridgeEvent(value);
    if (event?.op !== 'discovered' || network.connectedPeers().includes(event.peer)) return;
    for (const address of event.addresses) {
      network.dial(address).then(
        () => undefined,
        () => undefined, // another address, or the next announcement, may work
      );
      break;
    }
  });
  announce();
  const timer = setInterval(announce, ANNOUNCE_MS);
  return () => {
    clearInterval(timer);
    stopListening();
  };
}
