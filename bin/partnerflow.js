#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolved relative to this file so it works from any directory.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
