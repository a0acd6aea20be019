// Lint for every TypeScript file of the project (npm run lint; part of npm test).
// One import style: relative imports without a file extension (the bundler and
// tsx resolve them), and type-only imports written as `import type`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'artifacts/**', 'firmware/statecharts/tables/**', '**/testdata/**', '**/fixtures/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^\\.{1,2}\\/.*\\.(js|ts)$/], ExportNamedDeclaration[source.value=/^\\.{1,2}\\/.*\\.(js|ts)$/], ExportAllDeclaration[source.value=/^\\.{1,2}\\/.*\\.(js|ts)$/]',
          message: 'Relative imports name the module without an extension (the house style).',
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // TypeScript checks names itself (typescript-eslint's advice).
      'no-undef': 'off',
      // Control bytes are the console protocol's own (Ctrl-C, DLE, ESC, RS…): matching them is the point.
      'no-control-regex': 'off',
    },
  },
  {
    // Declaration files declare globals with `var` (Espruino's, in firmware/board/espruino.d.ts).
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    // Espruino's own modules come with require("Storage"): the firmware has no import for them.
    files: ['firmware/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The board's realm boundary handles functions the firmware made, of any
    // signature, and checks them at run time (sim/board/runtime/context/membrane.ts):
    // there `Function` and `any[]` parameters are the honest types.
    files: ['sim/board/api/**/*.ts', 'sim/board/runtime/**/*.ts', 'sim/board/console/board-console.ts'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The few plain JavaScript files run on Node: the CLI's launcher and the espruino package's worker.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', URL: 'readonly', Espruino: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
