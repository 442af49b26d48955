/**
 * @module cli/startWallet — `freehold start`: serves the built wallet (dist/app) on localhost and
 * runs a household node beside it: a relay browsers meet through, reachable over WebSockets,
 * finding LAN peers by mDNS. With `--demo` it also runs a 4-validator demo chain in this process
 * (SQLite under .freehold/demo, so it resumes where it stopped), prints its invite, and offers
 * the page a faucet of demo coins. The page learns the household node's address from
 * /config.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bytesToHex, hexToBytes } from '../crypto/bytes';
import { fromDidKey } from '../crypto/didKey';
import { createWebCryptoVerifier, getPublicKey, nobleVerifier, sign } from '../crypto/ed25519';
import { decode, encode } from '../codec/cbor';
import { chainIdOf, createGenesis, readGenesis, type Genesis } from '../chain/genesis';
import { createNodeNetwork, type NodeNetworkOptions } from '../net/createNodeNetwork';
import type { Network } from '../net/Network';
import type { ChainNode, Signer } from '../node/createChainNode';
import { createNode, type FreeholdNode } from '../node/createNode';
import { encodeInvite } from '../node/invite';
import { createSqliteChainStore } from '../store/createSqliteChainStore';
import { loadOrCreateKeyFile } from './headlessNode';
import { createWalletServer } from './createWalletServer';

export const START_USAGE = `freehold start [--demo] [--port N] [--app DIR] [--data DIR]

  --demo        also run a 4-validator demo chain and print its invite
  --port N      HTTP port on 127.0.0.1 (default 4173; 0 picks a free one)
  --app DIR     the built wallet (default dist/app; \`npm run build\` makes it)
  --data DIR    where the household node and the demo keep their keys and chains (default .freehold)`;

/** Demo coins the faucet gives per request (2 decimals: 100.00 COIN). */
const FAUCET_AMOUNT = 10_000n;
const DEMO_VALIDATORS = 4;

const say = (line: string): void => void process.stdout.write(line + '\n');

/** The WebSocket address a browser on this machine dials, with the peer id. */
function loopbackWs(network: Network): string | undefined {
  return network
    .addresses()
    .find((a) => a.startsWith('/ip4/127.0.0.1/') && a.includes('/ws/') && a.includes('/p2p/'));
}

export interface DemoChain {
  genesis: Genesis;
  invite: string;
  nodes: FreeholdNode[];
  faucet(did: string): Promise<string>;
}

/**
 * A node network that listens where it listened last time (kept in `dir/listen.json`), so the
 * addresses in invites given out earlier still work after a restart; on first start, or when
 * those ports are taken, it takes free ones and keeps them.
 */
async function networkWithStablePorts(
  dir: string,
  host: string,
  options: Omit<NodeNetworkOptions, 'listen'>,
): Promise<Network> {
  const file = join(dir, 'listen.json');
  const fresh = [`/ip4/${host}/tcp/0`, `/ip4/${host}/tcp/0/ws`];
  let kept: string[] | null;
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as string[];
  } catch {
    kept = null; // first start
  }
  let network: Network;
  try {
    network = await createNodeNetwork({ ...options, listen: kept ?? fresh });
  } catch {
    network = await createNodeNetwork({ ...options, listen: fresh });
  }
  const own = network
    .addresses()
    .filter((a) => a.startsWith(`/ip4/${host === '0.0.0.0' ? '127.0.0.1' : host}/`))
    .map((a) => a.replace(/\/p2p\/.*$/, '').replace(/^\/ip4\/127\.0\.0\.1\//, `/ip4/${host}/`));
  writeFileSync(file, JSON.stringify([...new Set(own)]) + '\n');
  return network;
}

/** Four validators in this process, each its own libp2p node and SQLite store, on loopback. */
export async function startDemoChain(dir: string, relays: string[]): Promise<DemoChain> {
  mkdirSync(dir, { recursive: true });
  const keys = [];
  for (let i = 0; i < DEMO_VALIDATORS; i++) {
    mkdirSync(join(dir, `v${i + 1}`), { recursive: true });
    keys.push(await loadOrCreateKeyFile(join(dir, `v${i + 1}`, 'key.json')));
  }
  const publicKeys = keys.map((k) => getPublicKey(hexToBytes(k.secretKey)));
  const genesisFile = join(dir, 'genesis.cbor');
  if (!existsSync(genesisFile)) {
    const names = ['Well', 'Mill', 'School', 'Clinic'];
    const genesis = createGenesis({
      name: 'Demo village',
      genesisTime: Date.now(),
      validators: publicKeys.map((key, i) => ({ key, name: names[i] ?? `Validator ${i + 1}` })),
      assets: [{ symbol: 'COIN', name: 'Village coin', decimals: 2, minter: null }],
      balances: publicKeys.map((account) => ({ account, asset: 'COIN', amount: 100_000_000n })),
    });
    writeFileSync(genesisFile, encode(genesis));
  }
  const genesis = readGenesis(decode(readFileSync(genesisFile)));
  const verifier = (await createWebCryptoVerifier()) ?? nobleVerifier;
  const nodes: FreeholdNode[] = [];
  const chains: ChainNode[] = [];
  const signers: Signer[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < DEMO_VALIDATORS; i++) {
    const secretKey = hexToBytes(keys[i]!.secretKey);
    const network = await networkWithStablePorts(join(dir, `v${i + 1}`), '127.0.0.1', {
      privateKey: hexToBytes(keys[i]!.networkKey),
      mdns: false,
      bootstrap: [...relays, ...addresses],
      relayServer: false,
    });
    const node = createNode({
      store: createSqliteChainStore(join(dir, `v${i + 1}`, 'store.sqlite')),
      network,
      verifier,
      blockIntervalMs: 1000,
    });
    const signer: Signer = { publicKey: publicKeys[i]!, sign: (m) => sign(m, secretKey) };
    chains.push(await node.join(genesis, 'validator', signer));
    nodes.push(node);
    signers.push(signer);
    const ws = loopbackWs(network);
    if (ws) addresses.push(ws);
  }
  let next = 0;
  // A demo resumed from disk vouches for the head it holds, as a wallet's invites do.
  const { height, hash } = chains[0]!.status();
  const checkpoint = height > 0 ? { height, hash: hexToBytes(hash) } : undefined;
  return {
    genesis,
    invite: encodeInvite({ genesis, peers: addresses, ...(checkpoint && { checkpoint }) }),
    nodes,
    async faucet(did) {
      const to = fromDidKey(did);
      // Round-robin over the validators: each pays from its own account, so nonces never clash.
      const i = next++ % DEMO_VALIDATORS;
      const item = await chains[i]!.send(signers[i]!, {
        kind: 'transfer',
        asset: 'COIN',
        to,
        amount: FAUCET_AMOUNT,
      });
      return bytesToHex(item.txId);
    },
  };
}

export async function runStart(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: '4173' },
      app: { type: 'string', default: 'dist/app' },
      data: { type: 'string', default: '.freehold' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(START_USAGE);
    return;
  }
  const root = resolve(values.app);
  if (!existsSync(join(root, 'index.html'))) {
    process.stderr.write(`freehold start: no built wallet in ${root}. Run \`npm run build\`.\n`);
    process.exitCode = 2;
    return;
  }
  const data = resolve(values.data);
  mkdirSync(join(data, 'household'), { recursive: true });
  const householdKey = await loadOrCreateKeyFile(join(data, 'household', 'key.json'));
  const household = await networkWithStablePorts(join(data, 'household'), '0.0.0.0', {
    privateKey: hexToBytes(householdKey.networkKey),
    mdns: true,
    bootstrap: [],
    relayServer: true,
  });
  const relay = loopbackWs(household);
  const relays = relay ? [relay] : [];
  const demo = values.demo ? await startDemoChain(join(data, 'demo'), relays) : null;

  const config = JSON.stringify({
    relays,
    lanOnly: true,
    demo: demo && { chainId: bytesToHex(chainIdOf(demo.genesis)), name: demo.genesis.name },
  });
  const server = createWalletServer({
    root,
    config,
    ...(demo && { faucet: (did: string) => demo.faucet(did) }),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(Number(values.port), '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;

  say(`Freehold wallet: http://127.0.0.1:${port}/`);
  say(`Household node: ${household.peerId} (relay, mDNS)${relay ? ` at ${relay}` : ''}`);
  if (demo) {
    say(`Demo chain "${demo.genesis.name}": 4 validators on this machine.`);
    say(`Invite (paste it under Chains → Join by invite):\n${demo.invite}`);
    say(`Demo coins: the wallet's Wallet screen has a button; or POST {"did":…} to /faucet.`);
  }
  say('Stop with Ctrl+C.');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    server.close();
    for (const n of demo?.nodes ?? []) await n.stop();
    await household.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
