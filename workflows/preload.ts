/**
 * Loaded once per worker thread before any workflow (see workflowPreloadModules), so luxon is one
 * module instance shared by every workflow instead of one per workflow. The SDK freezes what a
 * preloaded module exports; luxon exports classes only and keeps its caches (of Intl formatters,
 * pure) in module scope, so freezing changes nothing it does.
 */
import 'luxon';
