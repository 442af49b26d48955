// A LAN made of Linux network namespaces joined by a bridge, with one headless node process per
// namespace. Root only. Everything it creates carries a per-run prefix and is removed by
// `destroy` (called after every test, pass or fail) and, as a last resort, on process exit.
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { encode } from '../../src/codec/cbor';
import { createGenesis, type Genesis } from '../../src/chain/genesis';
import { bytesToHex } from '../../src/crypto/bytes';
import { getPublicKey } from '../../src/crypto/ed25519';
import { newNetworkKey } from '../../src/net/createNodeNetwork';
import type { KeyFile } from '../../src/cli/headlessNode';

const ROOT = resolve(import.meta.dirname, '../..');

export const canRunLan = (): { ok: true } | { ok: false; why: string } => {
  if (process.platform !== 'linux') return { ok: false, why: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'network namespaces need root' };
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return { ok: false, why: 'the ip tool (iproute2) is missing' };
  }
  return { ok: true };
};

const sh = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const shQuiet = (args: string[]): void => {
  try {
    execFileSync('ip', args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
};

export interface LogEvent {
  t: number;
  event: string;
  [field: string]: unknown;
}

export interface HostKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  file: KeyFile;
}

export async function hostKey(seed: string): Promise<HostKey> {
  const secretKey = new Uint8Array(32);
  new TextEncoder().encodeInto(seed.padEnd(32, '.').slice(0, 32), secretKey);
  return {
    secretKey,
    publicKey: getPublicKey(secretKey),
    file: { secretKey: bytesToHex(secretKey), networkKey: bytesToHex(await newNetworkKey()) },
  };
}

/** One headless node process in a namespace, with its log and a way to send it commands. */
export class NodeProcess {
  readonly events: LogEvent[] = [];
  exited: number | null = null;
  private waiters: (() => void)[] = [];
  private child!: ChildProcessWithoutNullStreams;
  stderr = '';

  constructor(
    readonly name: string,
    readonly ns: string,
    readonly ip: string,
    readonly key: HostKey,
    private readonly args: string[],
    private readonly script: string[] = ['src/cli/main.ts', 'node'],
  ) {}

  start(): void {
    this.exited = null;
    this.child = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.ns,
        process.execPath,
        '--import',
        'tsx',
        '--disable-warning=ExperimentalWarning',
        join(ROOT, this.script[0]!),
        ...this.script.slice(1),
        ...this.args,
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as LogEvent);
      } catch {
        this.events.push({ t: Date.now(), event: 'raw', line });
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.on(
      'data',
      (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)),
    );
    this.child.on('exit', (code, signal) => {
      this.exited = code ?? (signal ? 128 : 0);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin.write(JSON.stringify(command) + '\n');
  }

  signal(sig: NodeJS.Signals): void {
    if (this.child.pid) {
      // `ip netns exec` execs the node in place: the pid is the node's own.
      process.kill(this.child.pid, sig);
    }
  }

  /** Resolves with the first event (from `since` on) that matches, or rejects after `ms`. */
  async waitFor(
    what: string,
    match: (e: LogEvent) => boolean,
    ms: number,
    since = 0,
  ): Promise<LogEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.slice(since).find(match);
      if (found) return found;
      if (this.exited !== null)
        throw new Error(`${this.name} exited (${this.exited}) waiting for ${what}: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no ${what} within ${ms} ms`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  async status(): Promise<{ height: number; hash: string; peers: number }> {
    const since = this.events.length;
    this.send({ cmd: 'status' });
    const e = await this.waitFor('status', (x) => x.event === 'status', 10_000, since);
    const chain = (e.chains as { height: number; hash: string; peers: number }[])[0]!;
    return chain;
  }

  /** Height of the newest commit (full nodes) or verified head (light nodes) in the log. */
  height(): number {
    let h = 0;
    for (const e of this.events)
      if ((e.event === 'committed' || e.event === 'lightHead') && typeof e.height === 'number')
        h = Math.max(h, e.height);
    return h;
  }

  /** Committed block hash by height, from the log. */
  hashes(): Map<number, string> {
    const m = new Map<number, string>();
    for (const e of this.events)
      if (e.event === 'committed') m.set(e.height as number, e.hash as string);
    return m;
  }

  async stop(): Promise<void> {
    if (this.exited !== null || !this.child.pid) return;
    this.signal('SIGTERM');
    await this.waitFor('exit', () => false, 15_000).catch(() => undefined);
    if (this.exited === null) this.signal('SIGKILL');
  }
}

export interface LanNode {
  /** 'bad': the misbehaving peer of tests/net/badPeer.ts instead of a headless node. */
  role: 'validator' | 'full' | 'light' | 'bad';
  key: HostKey;
}

let lanCount = 0;

/** The namespaces, the bridge, the genesis and the node processes of one scenario. */
export class Lan {
  readonly id: string;
  readonly bridge: string;
  readonly nodes: NodeProcess[] = [];
  private readonly namespaces: string[] = [];
  private readonly hostLinks: string[] = [];

  private constructor(
    readonly dir: string,
    readonly genesis: Genesis,
  ) {
    this.id = `${process.pid % 10000}${String.fromCharCode(97 + (lanCount++ % 26))}`;
    this.bridge = `fhb${this.id}`;
  }

  static create(
    dir: string,
    members: LanNode[],
    options: { delayMs?: number; blockIntervalMs?: number; extraArgs?: string[] } = {},
  ): Lan {
    mkdirSync(dir, { recursive: true });
    const validators = members.filter((m) => m.role === 'validator');
    const genesis = createGenesis({
      name: 'LAN test',
      genesisTime: Date.now(),
      validators: validators.map((v, i) => ({ key: v.key.publicKey, power: 1, name: `v${i}` })),
      assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
      balances: members.map((m) => ({
        account: m.key.publicKey,
        asset: 'COIN',
        amount: 1_000_000n,
      })),
    });
    const lan = new Lan(dir, genesis);
    const genesisFile = join(dir, 'genesis.cbor');
    writeFileSync(genesisFile, encode(genesis));
    sh(['link', 'add', lan.bridge, 'type', 'bridge']);
    sh(['link', 'set', lan.bridge, 'up']);
    const subnet = `10.${77 + (lanCount % 100)}.${process.pid % 250}`;
    members.forEach((m, i) => {
      const ns = `fh${lan.id}n${i}`;
      const host = `fh${lan.id}v${i}`;
      const ip = `${subnet}.${i + 1}`;
      sh(['netns', 'add', ns]);
      lan.namespaces.push(ns);
      sh(['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      lan.hostLinks.push(host);
      sh(['link', 'set', host, 'master', lan.bridge]);
      sh(['link', 'set', host, 'up']);
      sh(['-n', ns, 'link', 'set', 'lo', 'up']);
      sh(['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      sh(['-n', ns, 'link', 'set', 'eth0', 'up']);
      // Multicast (mDNS) needs a route; nothing leaves the bridge anyway.
      sh(['-n', ns, 'route', 'add', 'default', 'dev', 'eth0']);
      if (options.delayMs)
        execFileSync('ip', [
          'netns',
          'exec',
          ns,
          'tc',
          'qdisc',
          'add',
          'dev',
          'eth0',
          'root',
          'netem',
          'delay',
          `${options.delayMs}ms`,
        ]);
      const data = join(dir, `node${i}`);
      mkdirSync(data, { recursive: true });
      const keyFile = join(data, 'key.json');
      writeFileSync(keyFile, JSON.stringify(m.key.file));
      const args = [
        '--data',
        data,
        '--genesis',
        genesisFile,
        '--key',
        keyFile,
        '--role',
        m.role,
        '--listen',
        '/ip4/0.0.0.0/tcp/4001',
        '--block-interval',
        String(options.blockIntervalMs ?? 500),
        ...(options.extraArgs ?? []),
      ];
      lan.nodes.push(
        m.role === 'bad'
          ? new NodeProcess(
              `node${i}(bad)`,
              ns,
              ip,
              m.key,
              ['--genesis', genesisFile],
              ['tests/net/badPeer.ts'],
            )
          : new NodeProcess(`node${i}(${m.role})`, ns, ip, m.key, args),
      );
    });
    live.add(lan);
    return lan;
  }

  start(): void {
    for (const n of this.nodes) n.start();
  }

  /** Takes a node's link to the bridge down or up (the node keeps running). */
  link(i: number, up: boolean): void {
    sh(['link', 'set', this.hostLinks[i]!, up ? 'up' : 'down']);
  }

  /** Splits the LAN: no unicast between the groups (mDNS still crosses; dials fail). */
  partition(groups: number[][]): void {
    for (const [g, group] of groups.entries()) {
      const others = groups.filter((_, k) => k !== g).flat();
      for (const i of group)
        for (const j of others)
          sh(['-n', this.namespaces[i]!, 'route', 'add', 'prohibit', `${this.nodes[j]!.ip}/32`]);
    }
  }

  heal(): void {
    for (const [i, ns] of this.namespaces.entries())
      for (const [j, other] of this.nodes.entries())
        if (i !== j) shQuiet(['-n', ns, 'route', 'del', 'prohibit', `${other.ip}/32`]);
  }

  /** Stops every node (SIGTERM, then SIGKILL), then removes namespaces and bridge. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop().catch(() => undefined)));
    this.removeLinks();
    live.delete(this);
  }

  removeLinks(): void {
    for (const ns of this.namespaces) shQuiet(['netns', 'del', ns]);
    for (const link of this.hostLinks) shQuiet(['link', 'del', link]);
    shQuiet(['link', 'del', this.bridge]);
  }
}

const live = new Set<Lan>();
process.on('exit', () => {
  for (const lan of live) {
    for (const n of lan.nodes) {
      try {
        n.signal('SIGKILL');
      } catch {
        // gone
      }
    }
    lan.removeLinks();
  }
});
