// @ts-check
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Workflow code must replay deterministically inside Temporal's sandbox: no Node APIs, no I/O,
 * activities only as types (the pattern of temporalio/samples-typescript's shared eslint config).
 * src/domain is held to the same rules because workflows import it; test/fixtures/workflows holds
 * test-only workflows that run in the same sandbox. workflows/contracts is workflow-side code too:
 * clients import it, so it must stay as light as the workflows.
 */
const workflowFiles = ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'];
const domainFiles = ['src/domain/**/*.ts'];

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/**
 * Modules of src/ that do I/O or drive it (config reads the environment). Workflows and the domain
 * reach them only through activities. Each is a folder except config.ts; the globs cover both.
 */
const ioModules = ['db', 'email', 'documents', 'temporal', 'cli', 'dev', 'http', 'web', 'config'];

// Globs for the specifiers that name src/<module>, however they are written. The matcher is
// gitignore-style on the specifier text: `**/src/db/**` catches `../src/db/client` and
// `../../../src/db`; `**/../db/**` catches `../db/client` from inside src/ (the domain). A
// specifier that does not climb (`./db`, `./email-address`) or only shares a prefix
// (`../email-address`) matches neither. `base` is `**/src` or `**/..`.
/** @param {string} base */
const moduleGlobs = (base) => ioModules.flatMap((name) => [`${base}/${name}`, `${base}/${name}.*`, `${base}/${name}/**`]);

/** Packages that do I/O or run Temporal outside the sandbox, with their subpaths (drizzle-orm/pg-core). */
const temporalOutsideSandbox = ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'];
const ioPackages = ['postgres', 'drizzle-orm', 'nodemailer'];

const nodeApiMessage = 'Node APIs are not available in workflow code; use an activity.';
const temporalMessage = 'Workflow code imports only @temporalio/workflow and @temporalio/common.';
const ioPackageMessage = 'I/O belongs in activities.';

/** Restrictions both the workflows and the domain they import are held to. */
const sandboxPaths = [
  ...nodeBuiltins.map((name) => ({ name, message: nodeApiMessage })),
  ...temporalOutsideSandbox.map((name) => ({ name, message: temporalMessage })),
  ...ioPackages.map((name) => ({ name, message: ioPackageMessage })),
];
const sandboxPatterns = [
  { group: ['node:*'], message: nodeApiMessage },
  { group: temporalOutsideSandbox.map((name) => `${name}/**`), message: temporalMessage },
  { group: ioPackages.map((name) => `${name}/**`), message: ioPackageMessage },
];

/**
 * Determinism rules for all code that runs in (or is imported into) the workflow sandbox. The
 * import restrictions are set per layer below: a later block's options replace, not extend, these.
 * @type {import('eslint').Linter.RulesRecord}
 */
const sandboxRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow, or take randomness from an activity.' },
    { object: 'z', property: 'email', message: "Use emailSchema() from src/domain/email-schema: zod's own email pattern is frozen in the workflow sandbox." },
  ],
  'no-restricted-globals': [
    'error',
    ...['process', 'Buffer', 'setImmediate', 'fetch', 'require'].map((name) => ({
      name,
      message: 'Not available in the workflow sandbox.',
    })),
  ],
};

export default defineConfig(
  { ignores: ['node_modules/**', 'drizzle/**', '.data/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true } },
  },
  { files: [...workflowFiles, ...domainFiles], rules: sandboxRules },
  {
    files: workflowFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: sandboxPaths,
          patterns: [
            ...sandboxPatterns,
            // Type-only imports stay allowed here alone: `typeof createActivities` is how proxyActivities
            // is typed. No other pattern may allow type imports, since one allowing match wins.
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Import activities as types and call them through proxyActivities.',
            },
            // Not even as types: what a workflow needs from these arrives through an activity's
            // signature, src/domain or workflows/contracts.
            {
              group: moduleGlobs('**/src'),
              message: 'Workflow code does not import src/db, email, documents, temporal, cli, dev, http, web or config; use src/domain, workflows/contracts or an activity.',
            },
          ],
        },
      ],
    },
  },
  {
    files: domainFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: sandboxPaths,
          patterns: [
            ...sandboxPatterns,
            {
              group: [...moduleGlobs('**/src'), ...moduleGlobs('**/..'), '**/activities', '**/activities/**'],
              message: 'src/domain is pure: no db, email, documents, temporal, cli, dev, http, web, config or activities, not even as types.',
            },
          ],
        },
      ],
    },
  },
);
