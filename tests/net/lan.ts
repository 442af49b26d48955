// A LAN made of Linux network namespaces joined by a bridge, with one headless node process per
// namespace. Root only. Everything it creates carries a per-run prefix and is removed by
// `destroy` (called after every test, pass or fail) and, as a last resort, on process exit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from '../../src/codec/cbor';
import { createGenesis, type Genesis } from '../../src/chain/genesis';
import { NodeProcess, type HostKey } from '../helpers/nodeProcess';

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

/** Whether links can be given a delay (tc netem): some kernels are built without it. */
export const canDelayLinks = (): { ok: true } | { ok: false; why: string } => {
  const ns = `fhprobe${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', ns], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem'], {
      stdio: 'pipe',
    });
    return { ok: true };
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    return { ok: false, why: `tc netem failed (${stderr || (error as Error).message})` };
  } finally {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  }
};

const sh = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const shQuiet = (args: string[]): void => {
  try {
    execFileSync('ip', args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
};

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
    try {
      lan.build(members, genesisFile, options);
    } catch (error) {
      lan.removeLinks(); // half a LAN is still a LAN to clean up
      throw error;
    }
    live.add(lan);
    return lan;
  }

  private build(
    members: LanNode[],
    genesisFile: string,
    options: { delayMs?: number; blockIntervalMs?: number; extraArgs?: string[] },
  ): void {
    const dir = this.dir;
    sh(['link', 'add', this.bridge, 'type', 'bridge']);
    sh(['link', 'set', this.bridge, 'up']);
    const subnet = `10.${77 + (lanCount % 100)}.${process.pid % 250}`;
    members.forEach((m, i) => {
      const ns = `fh${this.id}n${i}`;
      const host = `fh${this.id}v${i}`;
      const ip = `${subnet}.${i + 1}`;
      sh(['netns', 'add', ns]);
      this.namespaces.push(ns);
      sh(['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      this.hostLinks.push(host);
      sh(['link', 'set', host, 'master', this.bridge]);
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
      this.nodes.push(
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
