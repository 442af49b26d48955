// The wallet as a person starts it, for the app's end-to-end tests: the app built by Vite into a
// temporary folder, and `freehold start` (the household node, and with --demo the 4-validator
// demo chain) serving it on loopback, run as its own process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { scriptArgs } from '../helpers/cliBundle';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Builds the wallet app into a fresh temporary folder, as `npm run build` does: in its own
 * process, because Vite builds for development when NODE_ENV says "test" (as under Vitest).
 */
export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'freehold-app-'));
  const env = { ...process.env };
  delete env.NODE_ENV;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    env,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${output}`);
  return outDir;
}

export interface WalletServer {
  url: string;
  /** The demo chain's invite (with --demo). */
  invite: string;
  lines: string[];
  stop(): Promise<void>;
}

export async function startWalletServer(app: string, demo: boolean): Promise<WalletServer> {
  const data = mkdtempSync(join(tmpdir(), 'freehold-start-'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      ...scriptArgs('src/cli/main.ts'),
      'start',
      '--port',
      '0',
      '--app',
      app,
      '--data',
      data,
      ...(demo ? ['--demo'] : []),
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const ready = new Promise<void>((ok, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Stop with')) ok();
    });
    child.on('exit', (code) => fail(new Error(`freehold start exited (${code}): ${stderr}`)));
    setTimeout(() => fail(new Error(`freehold start did not get ready: ${stderr}`)), 60_000);
  });
  await ready;
  const url = /http:\/\/\S+/.exec(lines.find((l) => l.startsWith('Freehold wallet:')) ?? '')?.[0];
  if (!url) throw new Error(`no URL in ${lines.join('\n')}`);
  const invite = lines.find((l) => l.startsWith('freehold:')) ?? '';
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    url,
    invite,
    lines,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}
