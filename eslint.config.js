import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layout from './scripts/layout/eslint-layers.mjs';

// Layer rules of DESIGN.md are one rule, toc/layers (scripts/layout/eslint-layers.mjs): rooms, layer order,
// per-tree npm allow-lists and Node builtins, failing closed. test/unit/layout/layer-rules.test.ts proves each.
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'test/sim/awx/callback/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
  },
  {
    // The capability layout: rooms, layer order and per-tree package allow-lists (scripts/layout/eslint-layers.mjs).
    files: ['shared/**/*.{ts,tsx}', 'electron/**/*.{ts,tsx}', 'renderer/src/**/*.{ts,tsx}'],
    plugins: { toc: layout },
    rules: { 'toc/layers': 'error' },
  },
);
