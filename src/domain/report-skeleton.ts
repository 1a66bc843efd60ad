/**
 * The skeleton of a partner's next annual report, built from its accepted declaration: the
 * measures it declared, in order, with the latest answer it gave on each milestone. Only what
 * the declaration and the answers say goes in; everything else stays for the partner to state.
 */
import type { FieldOfAction } from './fields-of-action';

export type AnsweredMilestone = {
  text: string;
  /** The last day the declared date can mean, ISO (yyyy-mm-dd). */
  dueDate: string;
  /** The declared date in the partner's words ("Frühjahr 2018"). */
  dueText: string | null;
  status: 'open' | 'reached' | 'delayed';
  reachedOn: string | null;
  revisedDueDate: string | null;
};

export type MeasureWithAnswers = {
  /** The partner's id of the measure ("RSK-1"). */
  code: string | null;
  title: string;
  fieldOfAction: FieldOfAction;
  /** The partner's own grouping heading in the declaration. */
  groupLabel: string | null;
  milestones: AnsweredMilestone[];
};

export type SkeletonMeasure = {
  title: string;
  declaredMeasureRef?: string;
  fieldOfAction: FieldOfAction;
  /** One line per milestone answer; absent when the measure declared no milestones. */
  statusText?: string;
};

export type SkeletonSection = { heading: string; fieldOfAction?: FieldOfAction; measures: SkeletonMeasure[] };

export type ReportSkeleton = { sections: SkeletonSection[] };

/** The heading of the one section when the declaration had no headings of its own. */
export const defaultSkeletonHeading = 'Umsetzung der Beitrittsmodule';

const germanDate = (iso: string): string => {
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
};

/** The latest answer on a milestone, worded as the partner would read it back. */
export function milestoneLine(milestone: AnsweredMilestone): string {
  const name = `Meilenstein „${milestone.text}“`;
  switch (milestone.status) {
    case 'reached':
      return `${name}: ${milestone.reachedOn === null ? 'erreicht' : `erreicht am ${germanDate(milestone.reachedOn)}`}`;
    case 'delayed':
      return `${name}: ${milestone.revisedDueDate === null ? 'verschoben' : `verschoben auf ${germanDate(milestone.revisedDueDate)}`}`;
    case 'open':
      return `${name}: offen (geplant bis ${milestone.dueText ?? germanDate(milestone.dueDate)})`;
  }
}

function skeletonMeasure(measure: MeasureWithAnswers): SkeletonMeasure {
  const lines = measure.milestones.map(milestoneLine);
  return {
    title: measure.title,
    ...(measure.code === null ? {} : { declaredMeasureRef: measure.code }),
    fieldOfAction: measure.fieldOfAction,
    // The form's "state in your words" is one line, so the answers are joined with "; ".
    ...(lines.length === 0 ? {} : { statusText: lines.join('; ') }),
  };
}

/** A section's field of action only when all its measures share one: otherwise it is the ministry's call. */
function sharedField(measures: MeasureWithAnswers[]): FieldOfAction | undefined {
  const fields = new Set(measures.map((m) => m.fieldOfAction));
  return fields.size === 1 ? measures[0]?.fieldOfAction : undefined;
}

/**
 * One section per heading of the declaration when every measure sits under one (in the order
 * the headings first appear), else one section "Umsetzung der Beitrittsmodule"; undefined for a
 * declaration without measures, so the form starts empty instead.
 */
export function reportSkeleton(measures: MeasureWithAnswers[]): ReportSkeleton | undefined {
  if (measures.length === 0) return undefined;
  const groups = new Map<string, MeasureWithAnswers[]>();
  const grouped = measures.every((m) => m.groupLabel !== null && m.groupLabel.trim() !== '');
  for (const measure of measures) {
    const heading = grouped ? (measure.groupLabel ?? '') : defaultSkeletonHeading;
    const list = groups.get(heading) ?? [];
    list.push(measure);
    groups.set(heading, list);
  }
  return {
    sections: [...groups].map(([heading, list]) => {
      const field = sharedField(list);
      return { heading, ...(field === undefined ? {} : { fieldOfAction: field }), measures: list.map(skeletonMeasure) };
    }),
  };
}
