// One headless node process (`freehold node`) driven by a test or a benchmark: its JSON-lines
// log, commands on stdin, signals. It runs on the host (loopback) or, for the LAN tests, inside a
// network namespace; from the test run's bundle when there is one (helpers/cliBundle).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { bytesToHex } from '../../src/crypto/bytes';
import { getPublicKey } from '../../src/crypto/ed25519';
import { newNetworkKey } from '../../src/net/libp2pNetwork';
import type { KeyFile } from '../../src/cli/headlessNode';
import { scriptArgs } from './cliBundle';

const ROOT = resolve(import.meta.dirname, '../..');

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

/** One headless node process, with its log and a way to send it commands. */
export class NodeProcess {
  readonly events: LogEvent[] = [];
  exited: number | null = null;
  private waiters: (() => void)[] = [];
  private child!: ChildProcessWithoutNullStreams;
  stderr = '';

  constructor(
    readonly name: string,
    /** The network namespace to run in; null: on the host. */
    readonly ns: string | null,
    readonly ip: string,
    readonly key: HostKey,
    private readonly args: string[],
    private readonly script: string[] = ['src/cli/main.ts', 'node'],
  ) {}

  start(): void {
    this.exited = null;
    const command = [
      process.execPath,
      '--disable-warning=ExperimentalWarning',
      ...scriptArgs(this.script[0]!),
      ...this.script.slice(1),
      ...this.args,
    ];
    // `ip netns exec` execs the node in place: the child's pid is the node's own either way.
    this.child = this.ns
      ? spawn('ip', ['netns', 'exec', this.ns, ...command], { cwd: ROOT, stdio: 'pipe' })
      : spawn(command[0]!, command.slice(1), { cwd: ROOT, stdio: 'pipe' });
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
    if (this.child.pid) process.kill(this.child.pid, sig);
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
