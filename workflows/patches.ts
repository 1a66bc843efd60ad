import { patched } from '@temporalio/workflow';

export type PatchCheck<Id extends string> = {
  /** `patched(id)`, true without a marker when the workflow was begun with the patch. */
  patched(id: Id): boolean;
  /** Whether the workflow was begun with the patch; never records a marker. */
  builtIn(id: Id): boolean;
};

/**
 * Temporal's `patched` for a workflow that may have been begun by code that had the patch already.
 *
 * The first `patched` call of each id records a marker and, through the SDK's core, upserts the
 * `TemporalChangeVersion` search attribute: two more events and a visibility write on the server
 * in the task that meets it (docs/performance.md, "Patches built in": two patches and an upsert
 * cost the dev server a tenth to a quarter of what a one-activity workflow costs). A workflow
 * begun by code that has the patch needs neither: `patches` numbers its type's patches, its input
 * says up to which number it was begun with them, and those are in force without a marker. The
 * input is in the history, so replay makes the same choice; workflows begun before (no count) ask
 * `patched` as they always did.
 */
export function patchesBegunWith<Id extends string>(patches: Readonly<Record<Id, number>>, count: number | undefined): PatchCheck<Id> {
  const builtIn = (id: Id) => count !== undefined && patches[id] <= count;
  return { builtIn, patched: (id) => builtIn(id) || patched(id) };
}
