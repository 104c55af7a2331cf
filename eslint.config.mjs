// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'infra/.cache/**', 'infra/.data/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only libs/messaging may talk to Kafka directly (ARCHITECTURE.md: transport port).
      'no-restricted-imports': ['error', { paths: [{ name: 'kafkajs', message: 'Only libs/messaging imports kafkajs.' }] }],
    },
  },
  {
    files: ['libs/messaging/src/transport/kafkajs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'infra/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The `troupe` launcher: plain CommonJS for Node.
    files: ['bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', module: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
