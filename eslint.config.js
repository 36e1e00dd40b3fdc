// ESLint flat config: typescript-eslint for the server, scripts and tests; eslint-plugin-svelte for the
// client. Formatting is Prettier's job (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'storage/', 'coverage/', 'test-results/', 'tests/fixtures/bad/*.csv'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      // Type-aware rules that catch real bugs at little cost: a forgotten await, a promise where a
      // callback's result is ignored. `void p` does not count as handling p: a rejection nobody catches
      // ends the server process (a token's last-use write on a full disk did); catch and log instead.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      'max-statements-per-line': ['error', { max: 1 }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Flags deliberate resets in the byte-level readers' loops; not worth the noise.
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['client/**/*.ts', 'client/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Stores keep some private bookkeeping (ids seen, chart rows) in plain Sets and Maps on purpose:
      // nothing renders from them, so Svelte's reactive versions would only add cost.
      'svelte/prefer-svelte-reactivity': 'off',
      // The page's `void store.load()` in event handlers: a rejection there shows in the console and
      // ends nothing, so `void` still marks a deliberate fire-and-forget in the client.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig: {} } },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'client/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
