/**
 * What a report's activities look up on every call (its start, each change of state): the
 * partner's organisation and the cycle of the year as it applies to the partner, in one select.
 * Separately (a relational query with every contact, then the cycle) it took two round trips and
 * several times the CPU, once per report start and per change.
 */
import { and, eq, sql } from 'drizzle-orm';
import { reportingPolicySchema, type ReportingPolicy } from '../../domain/policy';
import type { DbOrTx } from '../client';
import { organisations, reportingCycles, reportingOverrides } from '../schema';
import { StoredPolicyInvalidError, type CycleForPartner } from './reporting';

export type PartnerCycle =
  | { found: 'nothing' }
  /** The partner exists; the cycle of the year does not. */
  | { found: 'partner'; partner: { id: number; name: string } }
  | { found: 'both'; partner: { id: number; name: string }; cycle: CycleForPartner };

/** Throws StoredPolicyInvalidError when the cycle's stored policy no longer parses. */
export async function findPartnerCycle(db: DbOrTx, partnerNumber: number, year: number): Promise<PartnerCycle> {
  const [row] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      cycleId: reportingCycles.id,
      periodStart: reportingCycles.periodStart,
      periodEnd: reportingCycles.periodEnd,
      dueDate: sql<string | null>`coalesce(${reportingOverrides.dueDate}, ${reportingCycles.dueDate})::text`,
      policy: reportingCycles.policy,
    })
    .from(organisations)
    .leftJoin(reportingCycles, eq(reportingCycles.year, year))
    .leftJoin(reportingOverrides, and(eq(reportingOverrides.cycleId, reportingCycles.id), eq(reportingOverrides.organisationId, organisations.id)))
    .where(eq(organisations.number, partnerNumber));
  if (!row) return { found: 'nothing' };
  const partner = { id: row.id, name: row.name };
  if (row.cycleId === null || row.periodStart === null || row.periodEnd === null || row.dueDate === null) return { found: 'partner', partner };
  const cycle = { cycleId: row.cycleId, year, periodStart: row.periodStart, periodEnd: row.periodEnd, dueDate: row.dueDate, policy: storedPolicy(year, row.policy) };
  return { found: 'both', partner, cycle };
}

// Parsed policies by their stored JSON: a cycle's policy is read on every report start and change,
// and parsing it is most of a lookup's CPU. A pure function's results, so sharing them changes nothing.
const parsedPolicies = new Map<string, ReportingPolicy>();
const parsedPoliciesKept = 32;

function storedPolicy(year: number, stored: unknown): ReportingPolicy {
  const text = JSON.stringify(stored);
  const known = parsedPolicies.get(text);
  if (known) return known;
  const policy = reportingPolicySchema.safeParse(stored);
  if (!policy.success) throw new StoredPolicyInvalidError(`the stored policy of cycle ${year} is invalid: ${policy.error.message}`);
  if (parsedPolicies.size >= parsedPoliciesKept) parsedPolicies.clear();
  parsedPolicies.set(text, policy.data);
  return policy.data;
}
