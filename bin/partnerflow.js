#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` / `npm install` through the `prepare` script,
// or by `npm run build`). Without a build, e.g. after `npm ci --ignore-scripts`, or when a source
// changed after the build, the TypeScript runs through tsx instead: the same CLI, only slower to start.
import { pathToFileURL } from 'node:url';
import { compiledCli } from './cli-entry.js';

const compiled = compiledCli();
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
