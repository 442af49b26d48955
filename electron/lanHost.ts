// The main process's side of the LAN bridge: real TCP sockets, dialled and accepted here for
// the renderer's node, their bytes carried over one channel (lanBridgeProtocol). It never
// decrypts anything and holds no key; a request that does not read as one is ignored. The page
// is not trusted with the machine's network: it dials only LAN hosts, at a limited rate, and
// hears no OS error text (which names hosts, ports and system state).
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  MAX_BRIDGE_CHUNK,
  MAX_BRIDGE_SOCKETS,
  readBridgeRequest,
  type BridgeEvent,
} from '../src/net/lanBridgeProtocol';
import { createDialLimiter, DEFAULT_DIAL_LIMITS, type DialLimits } from './dialLimiter';
import { createLanDiscovery, type LanDiscovery, type LanDiscoveryOptions } from './lanDiscovery';
import { isLanAddress, lanListenHosts, type LanScope } from './lanScope';

export interface LanHost {
  /** A message from the renderer (already from a trusted sender). */
  handle(message: unknown): void;
  close(): Promise<void>;
}

/** Inbound socket ids count down from here, so they never meet the renderer's dial ids. */
const INBOUND_IDS_FROM = 2 ** 52;

/** Private and link-local hosts only, on this machine's LAN interfaces. */
const LAN_SCOPE: LanScope = {
  dialable: isLanAddress,
  listenHosts: () => lanListenHosts(networkInterfaces()),
};

/** As long as the renderer waits for a dial (lanBridgeTransport). */
const DIAL_TIMEOUT_MS = 10_000;

/** What the renderer is told: our words, never the OS's. */
const NOT_LAN = 'Only addresses on the local network can be dialled.';
const TOO_FAST = 'Too many connections at once; try again shortly.';
const UNREACHABLE = 'Could not connect.';

export interface LanHostOptions {
  discovery?: LanDiscoveryOptions | false;
  /** What may be dialled and listened on (the LAN; tests use loopback). */
  scope?: LanScope;
  limits?: DialLimits;
  now?: () => number;
}

export function createLanHost(
  send: (event: BridgeEvent) => void,
  options: LanHostOptions = {},
): LanHost {
  const scope = options.scope ?? LAN_SCOPE;
  const limiter = createDialLimiter(options.limits ?? DEFAULT_DIAL_LIMITS, options.now ?? Date.now);
  const sockets = new Map<number, Socket>();
  const dialling = new Set<Socket>();
  // mDNS starts with the first announcement: a page that never listens is never announced.
  let discovery: LanDiscovery | null = null;
  let servers: Server[] | null = null;
  let nextInbound = INBOUND_IDS_FROM;

  const attach = (id: number, socket: Socket): void => {
    sockets.set(id, socket);
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.byteLength; i += MAX_BRIDGE_CHUNK)
        send({ op: 'data', id, bytes: new Uint8Array(chunk.subarray(i, i + MAX_BRIDGE_CHUNK)) });
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (sockets.get(id) === socket) sockets.delete(id);
      send({ op: 'closed', id });
    });
  };

  const accept = (socket: Socket): void => {
    if (sockets.size >= MAX_BRIDGE_SOCKETS) {
      socket.destroy();
      return;
    }
    const id = nextInbound++;
    attach(id, socket);
    send({
      op: 'inbound',
      id,
      host: socket.remoteAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0',
      port: socket.remotePort ?? 0,
    });
  };

  /** One server per LAN address, all on one port (the first one's); none on 0.0.0.0. */
  const listenOn = async (hosts: string[], wanted: number): Promise<BridgeEvent> => {
    let port = wanted;
    const bound: string[] = [];
    for (const host of hosts) {
      const server = createServer(accept);
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, host, () => resolve(true));
      });
      if (!ok || !servers) {
        server.close();
        continue;
      }
      servers.push(server);
      const address = server.address();
      if (typeof address === 'object' && address) port = address.port;
      bound.push(host);
    }
    return { op: 'listening', port: bound.length > 0 ? port : 0, hosts: bound };
  };

  return {
    handle(message) {
      const request = readBridgeRequest(message);
      if (!request) return;
      switch (request.op) {
        case 'dial': {
          if (!scope.dialable(request.host)) {
            send({ op: 'failed', id: request.id, reason: NOT_LAN });
            return;
          }
          if (sockets.has(request.id) || sockets.size >= MAX_BRIDGE_SOCKETS || !limiter.begin()) {
            send({ op: 'failed', id: request.id, reason: TOO_FAST });
            return;
          }
          const socket = createConnection({ host: request.host, port: request.port });
          socket.setNoDelay(true);
          dialling.add(socket);
          // A silent host would hold a concurrency slot for the OS's TCP timeout (minutes).
          socket.setTimeout(DIAL_TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
          const fail = (): void => {
            dialling.delete(socket);
            limiter.end();
            send({ op: 'failed', id: request.id, reason: UNREACHABLE });
          };
          socket.once('error', fail);
          socket.once('connect', () => {
            socket.off('error', fail);
            socket.setTimeout(0);
            dialling.delete(socket);
            limiter.end();
            attach(request.id, socket);
            send({ op: 'opened', id: request.id });
          });
          return;
        }
        case 'listen': {
          if (servers) return;
          servers = [];
          void listenOn(scope.listenHosts(), request.port).then(send);
          return;
        }
        case 'data':
          sockets.get(request.id)?.write(request.bytes);
          return;
        case 'end':
          sockets.get(request.id)?.end();
          return;
        case 'announce':
          if (options.discovery === false) return;
          discovery ??= createLanDiscovery(send, options.discovery);
          discovery.announce(request.peer, request.addresses);
          return;
      }
    },

    async close() {
      discovery?.close();
      discovery = null;
      for (const socket of [...sockets.values(), ...dialling]) socket.destroy();
      dialling.clear();
      sockets.clear();
      const closing = servers ?? [];
      servers = null;
      await Promise.all(closing.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
