// Lint for every TypeScript file of the project (npm run lint; part of npm test).
// One import style: relative imports without a file extension (the bundler and
// tsx resolve them), and type-only imports written as `import type`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'artifacts/**', 'firmware/statecharts/tables/**', '**/testdata/**', '**/fixtures/**'] },
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
    },
  },
);
