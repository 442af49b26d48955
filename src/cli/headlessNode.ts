/**
 * @module cli/headlessNode — `freehold node`: a full node or validator for household devices
 * and the multi-host tests. Storage is SQLite on disk (node:sqlite), the network libp2p over
 * TCP and WebSockets with mDNS on the LAN. Logs are JSON lines on stdout; commands are JSON
 * lines on stdin (`status`, `transfer`, `stop`). SIGTERM and SIGINT stop it cleanly: the chains
 * finish what they are writing, then the network and the store close.
 */
import { multiaddr } from '@multiformats/multiaddr';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { FreeholdError } from '../FreeholdError';
import { bytesToHex, hexToBytes } from '../crypto/bytes';
import { toDidKey, fromDidKey } from '../crypto/didKey';
import { createWebCryptoVerifier, getPublicKey, nobleVerifier, sign } from '../crypto/ed25519';
import { decode } from '../codec/cbor';
import type { ChainRole } from '../chain/ChainStore';
import { readGenesis, type Genesis } from '../chain/genesis';
import { decodeTransaction } from '../chain/transaction';
import { createNodeNetwork } from '../net/createNodeNetwork';
import { newNetworkKey } from '../net/libp2pNetwork';
import type { Signer } from '../node/createChainNode';
import { createNode } from '../node/createNode';
import { decodeInvite } from '../node/invite';
import type { Checkpoint } from '../light/trustFromCheckpoint';
import { createSqliteChainStore } from '../store/createSqliteChainStore';

/** What a node's key file keeps: its account/validator key and its network identity. */
export interface KeyFile {
  /** Ed25519 secret key (hex): signs transactions and, for a validator, consensus messages. */
  secretKey: string;
  /** libp2p private key (protobuf, hex): the node's peer id. */
  networkKey: string;
}

export async function loadOrCreateKeyFile(path: string): Promise<KeyFile> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  const key: KeyFile = {
    secretKey: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
    networkKey: bytesToHex(await newNetworkKey()),
  };
  writeFileSync(path, JSON.stringify(key, null, 2) + '\n', { mode: 0o600 });
  return key;
}

const log = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(
    JSON.stringify({ t: Date.now(), event, ...fields }, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    ) + '\n',
  );
};

export const NODE_USAGE = `freehold node --data DIR (--genesis FILE | --invite TEXT) [options]

  --data DIR            where the store (store.sqlite) and the key file live
  --genesis FILE        the chain's genesis (canonical CBOR, as \`freehold genesis\` writes it)
  --invite TEXT         or: an invite (\`freehold invite\`), the genesis and peers to start from
  --role ROLE           validator | full | light (default: validator if the key is one, else full)
  --key FILE            key file (default DIR/key.json; created if absent)
  --listen ADDR         multiaddr to listen on (repeatable; default /ip4/0.0.0.0/tcp/0)
  --bootstrap ADDR      peer multiaddr with /p2p/ID to connect to (repeatable)
  --no-mdns             do not discover peers on the LAN
  --relay               run a circuit-relay server (browsers meet through it)
  --block-interval MS   pause between blocks (default 1000)`;

function describeStartError(error: unknown): string {
  if (error instanceof FreeholdError) return error.shortMessage;
  const e = error as { code?: string; message?: string };
  if (e.code === 'ENOENT') return `No such file: ${e.message ?? ''}`;
  return `Not a valid address or file: ${e.message ?? String(error)}`;
}

export async function runHeadlessNode(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      genesis: { type: 'string' },
      invite: { type: 'string' },
      role: { type: 'string' },
      key: { type: 'string' },
      listen: { type: 'string', multiple: true },
      bootstrap: { type: 'string', multiple: true },
      'no-mdns': { type: 'boolean', default: false },
      relay: { type: 'boolean', default: false },
      'block-interval': { type: 'string' },
    },
  });
  if (!values.data || (!values.genesis && !values.invite)) {
    process.stderr.write(NODE_USAGE + '\n');
    process.exitCode = 2;
    return;
  }
  mkdirSync(values.data, { recursive: true });
  const keys = await loadOrCreateKeyFile(values.key ?? join(values.data, 'key.json'));
  const secretKey = hexToBytes(keys.secretKey);
  const publicKey = getPublicKey(secretKey);
  // The chain comes from its genesis file or from an invite, which also names peers to start from.
  let genesis: Genesis;
  let checkpoint: Checkpoint | undefined;
  const bootstrap = [...(values.bootstrap ?? [])];
  try {
    if (values.invite) {
      const invite = decodeInvite(values.invite);
      genesis = invite.genesis;
      checkpoint = invite.checkpoint;
      bootstrap.push(...invite.peers);
    } else genesis = readGenesis(decode(readFileSync(values.genesis!)));
    for (const address of bootstrap) multiaddr(address);
  } catch (error) {
    process.stderr.write(`freehold node: ${describeStartError(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const isValidator = genesis.validators.some(
    (v) => bytesToHex(v.publicKey) === bytesToHex(publicKey),
  );
  const role = (values.role ?? (isValidator ? 'validator' : 'full')) as ChainRole;
  if (!['validator', 'full', 'light'].includes(role)) throw new Error(`Unknown role ${role}.`);

  const store = createSqliteChainStore(join(values.data, 'store.sqlite'));
  const network = await createNodeNetwork({
    privateKey: hexToBytes(keys.networkKey),
    listen: values.listen ?? ['/ip4/0.0.0.0/tcp/0'],
    mdns: !values['no-mdns'],
    bootstrap,
    relayServer: values.relay,
  });
  const node = createNode({
    store,
    network,
    verifier: (await createWebCryptoVerifier()) ?? nobleVerifier,
    blockIntervalMs: Number(values['block-interval'] ?? 1000),
    onEvent: (e) => log(e.type, { ...e, type: undefined }),
  });
  log('listening', {
    peerId: network.peerId,
    addresses: network.addresses(),
    did: toDidKey(publicKey),
  });
  network.onPeer((e) =>
    log(e.type === 'connect' ? 'peerConnected' : 'peerDisconnected', { peer: e.peer }),
  );
  const signer: Signer = { publicKey, sign: (m) => sign(m, secretKey) };
  const chain = await node.join(genesis, role, signer, checkpoint && { checkpoint });

  let stopping: Promise<void> | null = null;
  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      log('stopping', { why });
      await node.stop();
      log('stopped', { height: chain.status().height });
      process.exit(0);
    })());
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const commands = createInterface({ input: process.stdin });
  // One command at a time, in order: a transfer's nonce must see the one before it.
  let pending = Promise.resolve();
  commands.on('line', (line) => {
    pending = pending.then(async () => {
      try {
        const cmd = JSON.parse(line) as Record<string, string | undefined>;
        switch (cmd.cmd) {
          case 'status':
            log('status', {
              chains: node.status(),
              peers: network.connectedPeers(),
              penalties: Object.fromEntries(
                network.connectedPeers().map((p) => [p, network.standing(p)]),
              ),
            });
            break;
          case 'standing':
            log('standing', { peer: cmd.peer, ...network.standing(cmd.peer ?? '') });
            break;
          case 'transfer': {
            const to = cmd.to!.startsWith('did:') ? fromDidKey(cmd.to!) : hexToBytes(cmd.to!);
            const item = await chain.send(signer, {
              kind: 'transfer',
              asset: cmd.asset ?? 'COIN',
              to,
              amount: BigInt(cmd.amount ?? '1'),
            });
            log('submitted', {
              txId: bytesToHex(item.txId),
              nonce: decodeTransaction(item.bytes).tx.nonce,
              id: cmd.id,
            });
            break;
          }
          case 'stop':
            await stop('stop command');
            break;
          default:
            log('commandError', { message: `Unknown command ${String(cmd.cmd)}.` });
        }
      } catch (error) {
        log('commandError', { message: (error as Error).message });
      }
    });
  });
}
