// The main process's side of the LAN bridge: real TCP sockets, dialled and accepted here for
// the renderer's node, their bytes carried over one channel (lanBridgeProtocol). It never
// decrypts anything and holds no key; a request that does not read as one is ignored.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  MAX_BRIDGE_CHUNK,
  MAX_BRIDGE_SOCKETS,
  readBridgeRequest,
  type BridgeEvent,
} from '../src/net/lanBridgeProtocol';
import { createLanDiscovery, type LanDiscovery, type LanDiscoveryOptions } from './lanDiscovery';

export interface LanHost {
  /** A message from the renderer (already from a trusted sender). */
  handle(message: unknown): void;
  close(): Promise<void>;
}

/** Inbound socket ids count down from here, so they never meet the renderer's dial ids. */
const INBOUND_IDS_FROM = 2 ** 52;

/** The machine's own IPv4 addresses on its networks (what LAN peers can dial). */
function lanHosts(): string[] {
  const hosts: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4') hosts.push(a.address);
  return hosts;
}

export function createLanHost(
  send: (event: BridgeEvent) => void,
  options: { discovery?: LanDiscoveryOptions | false } = {},
): LanHost {
  const sockets = new Map<number, Socket>();
  // mDNS starts with the first announcement: a page that never listens is never announced.
  let discovery: LanDiscovery | null = null;
  let server: Server | null = null;
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

  return {
    handle(message) {
      const request = readBridgeRequest(message);
      if (!request) return;
      switch (request.op) {
        case 'dial': {
          if (sockets.has(request.id) || sockets.size >= MAX_BRIDGE_SOCKETS) {
            send({ op: 'failed', id: request.id, reason: 'Too many connections.' });
            return;
          }
          const socket = createConnection({ host: request.host, port: request.port });
          socket.setNoDelay(true);
          const fail = (error: Error): void =>
            send({ op: 'failed', id: request.id, reason: error.message });
          socket.once('error', fail);
          socket.once('connect', () => {
            socket.off('error', fail);
            attach(request.id, socket);
            send({ op: 'opened', id: request.id });
          });
          return;
        }
        case 'listen': {
          if (server) return;
          server = createServer((socket) => {
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
          });
          server.listen(request.port, '0.0.0.0', () => {
            const address = server?.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            send({ op: 'listening', port, hosts: lanHosts() });
          });
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
      for (const socket of sockets.values()) socket.destroy();
      sockets.clear();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      server = null;
    },
  };
}
