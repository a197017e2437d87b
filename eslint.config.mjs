import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Lint: the recommended rules, plus the one architectural rule that matters most here:
 * nodes/ is UI-free and isomorphic (it runs in a Web Worker and in Node), so it may not import
 * React, Next, React Flow, the server, or Node-only modules.
 */
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
    files: ['nodes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'next', 'next/*', '@xyflow/*', 'zustand', 'zustand/*'], message: 'nodes/ is UI-free: no React, Next or React Flow.' },
            { group: ['@/server/*', '@/components/*', '@/app/*', '**/server/*', '**/components/*'], message: 'nodes/ may not depend on server/, components/ or app/.' },
            { group: ['fs', 'node:*', 'path', 'child_process', 'worker_threads', 'os'], message: 'nodes/ runs in a browser worker too: no Node-only modules.' },
          ],
        },
      ],
    },
  },
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
);
