// Joining by invite with the headless node (real processes, real libp2p on loopback): a
// validator runs a chain, `freehold invite` prints the invite naming it, and a second node
// started with nothing but that invite finds it and follows the chain. A damaged invite stops
// the node at once with a plain message.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGenesis } from '../../src/chain/genesis';
import { encode } from '../../src/codec/cbor';
import { hostKey, NodeProcess } from '../helpers/nodeProcess';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (args: string[]) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );

describe('joining by invite (real processes, libp2p on loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'freehold-invite-'));
  const nodes: NodeProcess[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a node given only the invite finds the chain and follows it', async () => {
    const validator = await hostKey('invite validator');
    const follower = await hostKey('invite follower');
    const genesisFile = join(dir, 'genesis.cbor');
    writeFileSync(
      genesisFile,
      encode(
        createGenesis({
          name: 'Invited',
          genesisTime: Date.now(),
          validators: [{ key: validator.publicKey, power: 1, name: 'v' }],
          assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
          balances: [{ account: validator.publicKey, asset: 'COIN', amount: 100n }],
        }),
      ),
    );
    writeFileSync(join(dir, 'v.json'), JSON.stringify(validator.file));
    writeFileSync(join(dir, 'f.json'), JSON.stringify(follower.file));
    const loopback = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--block-interval', '200'];
    const a = new NodeProcess('validator', null, '127.0.0.1', validator, [
      ...['--data', join(dir, 'a'), '--genesis', genesisFile, '--key', join(dir, 'v.json')],
      ...loopback,
    ]);
    nodes.push(a);
    a.start();
    const listening = await a.waitFor('listening', (e) => e.event === 'listening', 30_000);
    const address = (listening.addresses as string[])[0]!;

    const printed = cli(['invite', '--genesis', genesisFile, '--peer', address]);
    expect(printed.status).toBe(0);
    const invite = printed.stdout.trim();
    expect(invite).toMatch(/^freehold:[A-Za-z0-9_-]+$/);

    const b = new NodeProcess('follower', null, '127.0.0.1', follower, [
      ...['--data', join(dir, 'b'), '--invite', invite, '--key', join(dir, 'f.json')],
      ...['--role', 'full', ...loopback],
    ]);
    nodes.push(b);
    b.start();
    const reached = await b.waitFor(
      'block 3 at the follower',
      (e) => e.event === 'committed' && (e.height as number) >= 3,
      30_000,
    );
    await a.waitFor(
      'the same block at the validator',
      (e) => e.event === 'committed' && e.height === reached.height,
      10_000,
    );
    expect(reached.hash).toBe(a.hashes().get(reached.height as number));
  });

  it('stops at once on a damaged invite, saying so', () => {
    const run = cli(['node', '--data', join(dir, 'c'), '--invite', 'freehold:not-really']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('The invite is damaged or incomplete.');
  });
});
