// @ts-check
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Workflow code must replay deterministically inside Temporal's sandbox: no Node APIs, no I/O,
 * activities only as types (the pattern of temporalio/samples-typescript's shared eslint config).
 * src/domain is held to the same rules because workflows import it; test/fixtures/workflows holds
 * test-only workflows that run in the same sandbox.
 */
const deterministicFiles = ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts', 'src/domain/**/*.ts'];

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

export default defineConfig(
  { ignores: ['node_modules/**', 'drizzle/**', '.data/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true } },
  },
  {
    files: deterministicFiles,
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Node APIs are not available in workflow code; use an activity.' })),
            ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'].map((name) => ({
              name,
              message: 'Workflow code imports only @temporalio/workflow and @temporalio/common.',
            })),
            ...['postgres', 'drizzle-orm', 'nodemailer'].map((name) => ({ name, message: 'I/O belongs in activities.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'Node APIs are not available in workflow code; use an activity.' },
            {
              group: ['**/activities', '**/activities/*', '**/src/db/**', '**/src/email/**'],
              allowTypeImports: true,
              message: 'Import activities as types and call them through proxyActivities.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow, or take randomness from an activity.' },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'setImmediate', 'fetch', 'require'].map((name) => ({
          name,
          message: 'Not available in the workflow sandbox.',
        })),
      ],
    },
  },
);
