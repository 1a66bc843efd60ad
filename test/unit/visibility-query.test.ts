import { describe, expect, it } from 'vitest';
import { visibilityQuery } from '../../src/temporal/visibility-query';

describe('visibility queries from CLI filters', () => {
  it('asks for every overdue 2019 report in one query', () => {
    expect(visibilityQuery({ type: 'annualReportWorkflow', year: 2019, phase: 'overdue' })).toBe(
      "WorkflowType = 'annualReportWorkflow' AND ReportYear = 2019 AND ReportPhase = 'overdue'",
    );
  });

  it('filters by partner, escalation level and execution status', () => {
    expect(visibilityQuery({ partner: 7, minEscalation: 1, status: 'Running' })).toBe(
      "PartnerNumber = 7 AND EscalationLevel >= 1 AND ExecutionStatus = 'Running'",
    );
    expect(visibilityQuery({})).toBe('');
  });

  it('escapes quotes so a value cannot change the query', () => {
    expect(visibilityQuery({ phase: "x' OR ReportYear = 1 OR '" })).toBe("ReportPhase = 'x\\' OR ReportYear = 1 OR \\''");
  });

  it('refuses a number that is not whole, naming the filter', () => {
    expect(() => visibilityQuery({ year: 2019.5 })).toThrow('year: must be a whole number');
  });
});
