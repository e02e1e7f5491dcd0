// Lint, including the layering of DESIGN.md: the engine is pure, services never see HTTP,
// SQL stays in the store.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ['error', { patterns: patterns.map((group) => ({ group, message })) }];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'web/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [['../**/store/**', '../**/bus/**', '../**/http/**', '../**/services/**', 'fastify', 'pg', 'ioredis', '@electric-sql/*', 'node:fs', 'node:net', 'node:http']],
        'The engine is pure: no I/O, no framework (DESIGN.md).',
      ),
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'The engine takes time as an argument.' }, { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'The engine reads no environment.' }],
    },
  },
  {
    files: ['server/src/services/**/*.ts', 'server/src/store/**/*.ts', 'server/src/bus/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([['fastify', '@fastify/*', '../http/**', '../**/http/**']], 'Services, store and bus never import HTTP (DESIGN.md).') },
  },
  {
    files: ['server/src/http/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([['pg', '@electric-sql/*', '../**/store/*-repo.ts']], 'Routes call services; SQL stays in the store.') },
  },
);
