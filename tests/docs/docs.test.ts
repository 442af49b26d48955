// The README and docs/ as a newcomer meets them in a clone: links and paths that resolve inside
// the repository, commands that exist and say what they do, a build without warnings, and the
// install warnings on an older Node explained.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { admitsVersion } from './admitsVersion';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

const markdownFiles = (): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Targets of inline links and images, `[text](target "title")`, outside code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

/** `npm run NAME`, `npm start` and `npm test` as the text names them. */
function npmScriptsNamed(text: string): string[] {
  return [...text.matchAll(/\bnpm (?:run (\S+)|(start|test)\b)/g)].map((m) =>
    (m[1] ?? m[2]!).replace(/[`.,;:)]+$/, ''),
  );
}

/** What `npm run NAME` executes, with `npm start -- ARGS` / `npm run X -- ARGS` expanded. */
function expandScript(name: string): string {
  const script = scripts[name] ?? '';
  const m = /^npm (?:start|run (\S+)) -- (.*)$/.exec(script);
  return m ? `${expandScript(m[1] ?? 'start')} ${m[2]}` : script;
}

describe('README and docs', () => {
  it('B7: links in the README and docs/ point to files inside the repository', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const target of linkTargets(read(file))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(root, dirname(file), decodeURI(target.split('#')[0]!));
        const inside = path === root || path.startsWith(root + sep);
        if (!inside || !existsSync(path)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(linkTargets(read('README.md'))).toContain('docs/architecture.md');
  });

  it('B7: every repository path docs/architecture.md names exists', () => {
    const text = read('docs/architecture.md');
    const named = [...text.matchAll(/`((?:src|app|tests|electron|docs|public)\/[\w./-]*)`/g)].map(
      (m) => m[1]!,
    );
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('B7: every npm script the README names exists', () => {
    const named = npmScriptsNamed(read('README.md'));
    expect(named).toContain('demo');
    expect(named.filter((n) => !(n in scripts))).toEqual([]);
  });

  it('B7: the README explains the EBADENGINE warnings of every package that excludes Node 20', () => {
    // Debian 13's Node; npm compares it with each installed package's engines.node.
    const node20 = '20.19.2';
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const excluding = Object.entries(lock.packages)
      .filter(
        ([path, p]) => path !== '' && p.engines?.node && !admitsVersion(p.engines.node, node20),
      )
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(excluding.length).toBeGreaterThan(0);
    const readme = read('README.md');
    expect(readme).toContain('EBADENGINE');
    expect(excluding.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('commands a newcomer runs', () => {
  it('B7: the terminal demo points to the wallet demo, which `npm run demo` starts', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo'], {
      cwd: root,
    });
    expect(stdout).toContain('proven against block 2');
    expect(stdout).not.toMatch(/not built/i);
    expect(stdout).toContain('npm run demo');
    expect(npmScriptsNamed(stdout).filter((n) => !(n in scripts))).toEqual([]);
    expect(expandScript('demo')).toMatch(/src\/cli\/main\.ts start\b.*--demo\b/);
  });

  it('B7: `vite build` prints no warning', async () => {
    const out = mkdtempSync(join(tmpdir(), 'freehold-vite-'));
    try {
      const env = { ...process.env };
      delete env.VITE_CONFIG_NATIVE_IGNORE_WARNING;
      const { stdout, stderr } = await run(
        process.execPath,
        ['node_modules/vite/bin/vite.js', 'build', '--outDir', out],
        { cwd: root, env },
      );
      const warnings = `${stdout}\n${stderr}`
        .split('\n')
        .filter((line) => /\(!\)|warn/i.test(line));
      expect(warnings).toEqual([]);
      expect(existsSync(join(out, 'index.html'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
