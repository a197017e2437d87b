import { readdirSync } from 'node:fs';
import { URL } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * Lint: the recommended rules, plus the rules that keep the house's shape:
 * - nodes/ is UI-free and isomorphic (it runs in a Web Worker and in Node), so it may not import
 *   React, Next, React Flow, the server, or Node-only modules;
 * - nodes/engine names no kind: it imports only itself (and libraries);
 * - nodes/shared uses kinds' algorithm modules at most, never a kind's definition or the registry;
 * - a kind's UI folder (components/kinds/<kind>/) imports no other kind's folder;
 * - no import circle anywhere (import-x/no-cycle; type-only imports, erased at build, are not counted).
 */
const NODES_UI_FREE = [
  { group: ['react', 'react-dom', 'react/*', 'next', 'next/*', '@xyflow/*', 'zustand', 'zustand/*'], message: 'nodes/ is UI-free: no React, Next or React Flow.' },
  { group: ['@/server/*', '@/components/*', '@/app/*', '@/trpc/*', '**/server/*', '**/components/*'], message: 'nodes/ may not depend on server/, components/, trpc/ or app/.' },
  { group: ['fs', 'node:*', 'path', 'child_process', 'worker_threads', 'os'], message: 'nodes/ runs in a browser worker too: no Node-only modules.' },
];

const KINDS = readdirSync(new URL('./components/kinds/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', 'drizzle/', 'test-results/', 'playwright-report/', '.stryker-tmp/', 'reports/', 'public/', 'next-env.d.ts', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['nodes/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: NODES_UI_FREE }] },
  },
  {
    files: ['nodes/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...NODES_UI_FREE,
            { regex: '^(?:\\.\\./|@/nodes/(?!engine/))', message: 'nodes/engine names no kind: it imports only nodes/engine/ (a kind or shared/ declares its port value types by declaration merging).' },
          ],
        },
      ],
    },
  },
  // nodes/shared/ may use a kind's algorithm modules (bpe/encode-bpe.ts), never a kind's
  // definition (its index.ts) or the registry: one block per folder depth, as paths are relative.
  ...[
    ['nodes/shared/*.ts', '\\.\\./'],
    ['nodes/shared/*/**/*.ts', '\\.\\./\\.\\./'],
  ].map(([files, up]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...NODES_UI_FREE,
            {
              regex: `^${up}(?!engine/|shared/)[^/]+(?:/index)?$|^@/nodes(?:/(?!engine/|shared/)[^/]+(?:/index)?)?$`,
              message: 'nodes/shared/ may use a kind’s algorithm modules (bpe/encode-bpe.ts), never a kind’s definition (its index.ts) or the registry.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/server/*', '**/server/*'],
              allowTypeImports: true,
              message: 'components/ talks to the server through tRPC, not by importing it (type imports are fine).',
            },
          ],
        },
      ],
    },
  },
  ...KINDS.map((kind) => ({
    files: [`components/kinds/${kind}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?:@/components/kinds|\\.\\.)(?:/(?!types$|${kind}(?:/|$)|\\.\\.(?:/|$))[^/]+.*|/?$)`,
              message: `components/kinds/${kind}/ shows one kind: it may import components/ui/, components/canvas/ and nodes/, not another kind's folder or the kinds index.`,
            },
          ],
        },
      ],
    },
  })),
);
