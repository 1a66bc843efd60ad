/**
 * Loaded once per worker thread before any workflow (see workflowPreloadModules), so luxon and zod
 * are one module instance shared by every workflow instead of one per workflow: the SDK's reused
 * V8 context otherwise evaluates both anew for each workflow it caches (about 0.8 MB and 10 ms of
 * CPU a workflow for zod alone). What this module exports is used, because webpack drops a bare
 * `import 'luxon'` of a package that declares itself free of side effects (luxon does); zod is
 * kept by the warm-up below.
 *
 * The SDK deep-freezes what a preloaded module exports. luxon keeps its caches in module scope, so
 * freezing changes nothing it does. zod installs a schema kind's members on that kind's (shared,
 * now frozen) prototype when the first schema of the kind is built, and settles a few module-level
 * values (whether `new Function` is allowed) on first use: `warmZod` does both here, before the
 * freeze, for every kind the domain's schemas use. A workflow then builds its schemas (its own,
 * unfrozen objects) from the shared, frozen zod. A kind missing below fails every workflow at its
 * first task with "Cannot define property … object is not extensible", which each workflow test
 * and test/workflows/workflow-memory.test.ts would show at once.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

// One name of luxon's (its only module) keeps it in the bundle; exporting zod's whole namespace
// would add every module it names (forty locales) to the bundle, for no workflow's use.
export { DateTime };

/** Builds one schema of every kind workflow code uses and parses good and bad input with each. */
function warmZod(): void {
  const kinds = z.strictObject({
    text: z.string().trim().min(1).max(10).regex(/^[a-z]+$/).toLowerCase().startsWith('a').endsWith('z').optional(),
    // eslint-disable-next-line no-restricted-properties -- warmed before the freeze, never used after it
    email: z.email().optional(),
    url: z.string().url().optional(),
    whole: z.int().positive().optional(),
    number: z.number().int().nonnegative().finite().min(0).max(10).optional(),
    flag: z.boolean().default(false),
    choice: z.enum(['a', 'b']).optional(),
    literal: z.literal('a').optional(),
    list: z.array(z.string()).min(0).max(3).optional(),
    listOf: z.string().array().optional(),
    record: z.record(z.string(), z.unknown()).optional(),
    union: z.union([z.string(), z.number()]).optional(),
    tagged: z.discriminatedUnion('kind', [z.object({ kind: z.literal('x') }), z.object({ kind: z.literal('y'), y: z.number() })]).optional(),
    never: z.never().optional(),
    nullable: z.string().nullable().optional(),
    nullish: z.string().nullish(),
    refined: z.string().refine((value) => value.length > 0).optional(),
    superRefined: z
      .string()
      .superRefine((value, ctx) => {
        if (value === 'bad') ctx.addIssue({ code: 'custom', message: 'bad' });
      })
      .optional(),
    piped: z.string().transform((value) => value.length).pipe(z.number()).optional(),
    date: z.iso.date().optional(),
    dateTime: z.iso.datetime({ offset: true }).optional(),
    tuple: z.tuple([z.string(), z.number()]).optional(),
    lazy: z.lazy(() => z.string()).optional(),
    caught: z.string().catch('').optional(),
  });
  const extended = kinds.extend({ more: z.object({ inner: z.string() }).partial().optional() });
  const good = { text: 'abz', email: 'a@b.example', whole: 1, number: 1, choice: 'a', list: ['x'], tagged: { kind: 'y', y: 1 }, date: '2026-01-01' };
  // Enough parses for zod to settle any parser it compiles after repeated use.
  for (let i = 0; i < 3; i += 1) {
    extended.parse(good);
    if (extended.safeParse({ text: 1, email: 'no', number: -1, choice: 'c', tagged: { kind: 'z' }, extra: true }).success) throw new Error('zod accepted bad input');
  }
  // A schema kind is settled per prototype; `allowsEval` is a module-level cache zod fills on first read.
  void z.core.util.allowsEval.value;
}

warmZod();
