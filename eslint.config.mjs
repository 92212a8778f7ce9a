// ESLint over the whole repository. `npm run lint` (scripts/run-lint.mjs) runs tsc and ESLint with this file, then
// scripts/lint.mjs (the house rules ESLint cannot express). Why each rule is here, and what is scoped:
// docs/adr/0009-linting.md; the architecture the rules protect: docs/adr/0001-architecture.md.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TYPESCRIPT = ['**/*.ts', '**/*.tsx'];

export default defineConfig(
  globalIgnores(['node_modules/', 'cdk.out/', '.data/', '.test-results/', 'test/artifacts/', '.scratch/', 'dist/', '.cache/']),

  // Every file: the recommended JavaScript rules and the house rules that used to be regular expressions.
  js.configs.recommended,
  {
    rules: {
      'no-debugger': 'error',
      // A focused test silently skips the rest of the suite.
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test', 'suite'].map((object) => ({ object, property: 'only', message: '.only left in a test.' })),
      ],
      // Named exports only; the files that need a default export are listed below.
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  // TypeScript and the ES modules beside it: typescript-eslint's recommended rules.
  { files: [...TYPESCRIPT, '**/*.mjs'], extends: [tseslint.configs.recommended] },
  {
    files: [...TYPESCRIPT, '**/*.mjs'],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  // TypeScript: type-aware rules over the program tsconfig.json describes.
  {
    files: TYPESCRIPT,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A switch over a union either names every member or says what the rest do (a default).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // A caught error is `unknown`; handing it on as a rejection is rethrowing, not inventing a non-Error reason.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `async` on a method that implements a Promise-returning port turns its throws (a bad key, a task that is not
      // waiting) into rejections, which is what callers of the port handle; requiring an `await` would not help.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // The domain core does not log: shared/domain/ is pure (docs/adr/0001-architecture.md).
  { files: ['shared/domain/**'], rules: { 'no-console': 'error' } },

  // Tests: vitest's asymmetric matchers (expect.any, expect.stringContaining, expect.objectContaining) are typed
  // `any`, and the JSON the tests parse from CLI output, HTTP bodies and CDK templates is read by shape in the
  // assertions; casting every one of them would add noise, not safety. Passing, returning or calling an `any`
  // stays an error.
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },

  // Node scripts in plain JavaScript (bin/, scripts/, the pdf-parse worker): outside the TypeScript program.
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },

  // Default exports that tools or ambient module declarations require.
  {
    files: ['eslint.config.mjs', 'vitest.config.ts', 'types/*.d.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },

  // The browser code (shared/http/pages/client/) is TypeScript like the rest: the type-aware rules above cover it;
  // here only its globals. The generated bundles module is one long string each, built from those sources.
  { files: ['shared/http/pages/client/**/*.ts'], languageOptions: { globals: globals.browser } },
  globalIgnores(['shared/http/pages/assets/client-bundles.generated.ts']),
);
