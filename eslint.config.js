// ESLint flat config: strict TypeScript, and the architecture's one-way arrows enforced:
// app → node → {chain, consensus, light, store, net} → codec → crypto.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'net',
  'child_process',
  'http',
  'https',
  'stream',
  'url',
  'worker_threads',
];

/** What a pure-core folder must never import, whatever its place in the layers. */
const IO_FREE = [
  {
    group: ['dexie', 'dexie/*', 'fake-indexeddb', 'fake-indexeddb/*'],
    message: 'The pure core knows no storage: use a port.',
  },
  {
    group: ['libp2p', 'libp2p/*', '@libp2p/*', '@chainsafe/*'],
    message: 'The pure core knows no network: use a port.',
  },
  {
    group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'],
    message: 'The pure core knows no UI.',
  },
  { group: ['electron', 'electron/*'], message: 'The pure core knows no Electron.' },
  { group: ['node:*'], message: 'The pure core imports no Node built-ins.' },
];

const folder = (names, message) => ({
  group: names.flatMap((n) => [`**/${n}/*`, `**/${n}`]),
  message,
});
const OUTSIDE_SRC = folder(['app', 'electron'], 'src/ never imports from app/ or electron/.');
const ADAPTERS = folder(
  ['store', 'net', 'node', 'cli'],
  'The pure core never imports an adapter or the facade.',
);

/** Per folder: the layers above it, which it must not import. */
const LAYERS = {
  crypto: [folder(['codec', 'chain', 'consensus', 'light'], 'crypto is the bottom layer.')],
  codec: [folder(['chain', 'consensus', 'light'], 'codec sits below the protocol.')],
  chain: [folder(['consensus', 'light'], 'chain sits below consensus and the light client.')],
  consensus: [folder(['light'], 'consensus does not depend on the light client.')],
  light: [],
};

const DOM_GLOBALS = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'navigator',
  'fetch',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage', 'test-results', 'tests/vectors'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [OUTSIDE_SRC] }] },
  },
  ...Object.entries(LAYERS).map(([name, above]) => ({
    files: [`src/${name}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: NODE_BUILTINS, patterns: [...IO_FREE, OUTSIDE_SRC, ADAPTERS, ...above] },
      ],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  })),
  {
    // The service worker has its own globals (WebWorker lib), so its own tsconfig.
    files: ['app/offline/serviceWorker.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './tsconfig.worker.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['*.js', '*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
