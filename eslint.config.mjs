// Lint: typescript-eslint's recommended rules; type errors are tsc's job (npm run lint runs both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', '!apps/web/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // The dashboard's browser modules (plain JavaScript, no build step) are linted too.
  // Its globals are listed here (the few it uses) rather than taken from an undeclared package.
  {
    files: ['apps/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'URL', 'URLSearchParams', 'ResizeObserver', 'TextDecoder', 'atob', 'console']
          .map((name) => [name, 'readonly']),
      ),
    },
  },
);
