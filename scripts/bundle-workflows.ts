/**
 * Builds the workflow bundle into the cache folder (PARTNERFLOW_CACHE), as `npm run provision` does;
 * the Dockerfile runs it so the image's worker starts polling without bundling first.
 */
import { loadConfig } from '../src/config';
import { loadWorkflowBundle, workflowBundleCachePath } from '../src/temporal/workflow-bundle';

const { cacheDir } = loadConfig().binaries;
const { source } = await loadWorkflowBundle(cacheDir);
console.log(`Workflow bundle: ${source === 'built' ? 'built' : 'up to date'} in ${workflowBundleCachePath(cacheDir)}`);
