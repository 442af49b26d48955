// ESLint flat config: strict TypeScript, and the architecture's one-way arrows enforced.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports the pure core (chain, consensus, light, codec, crypto) must never make. */
const IO_FREE_PATTERNS = [
  { group: ['dexie', 'dexie/*'], message: 'The pure core knows no storage: use a port.' },
  {
    group: ['libp2p', 'libp2p/*', '@libp2p/*', '@chainsafe/*'],
    message: 'The pure core knows no network: use a port.',
  },
  {
    group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'],
    message: 'The pure core knows no UI.',
  },
  { group: ['electron', 'electron/*'], message: 'The pure core knows no Electron.' },
  {
    group: ['node:*', 'fs', 'path', 'os', 'crypto', 'net', 'child_process'],
    message: 'The pure core imports no Node built-ins.',
  },
  {
    group: ['**/store/*', '**/store', '**/net/*', '**/net', '**/node/*', '**/cli/*'],
    message: 'The core never imports its adapters.',
  },
  { group: ['**/app/*', '**/electron/*'], message: 'src/ never imports from app/ or electron/.' },
];

/** Browser globals the pure core must not touch. */
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
    files: ['src/chain/**', 'src/consensus/**', 'src/light/**', 'src/codec/**', 'src/crypto/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: IO_FREE_PATTERNS }],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/*', '**/electron/*', 'react', 'react-dom', 'electron'],
              message: 'src/ never imports from app/, electron/ or UI libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pure-core block above must win over the general src/ block for its folders.
    files: ['src/chain/**', 'src/consensus/**', 'src/light/**', 'src/codec/**', 'src/crypto/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: IO_FREE_PATTERNS }],
    },
  },
  {
    files: ['*.js', '*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
