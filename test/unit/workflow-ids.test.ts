import { describe, expect, it } from 'vitest';
import { partnerNumberOfWorkflowId } from '../../src/temporal/workflow-ids';
import { accessionWorkflowId } from '../../workflows/contracts/accession';
import { lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { annualReportWorkflowId, systemCheckWorkflowId } from '../../src/temporal/workflow-ids';

// The payload codec seals a workflow's payloads with the partner's own key when its id names one,
// so erasing a partner makes every one of its histories unreadable, accession and lifecycle included.
describe('the partner a workflow belongs to', () => {
  it('is read from every partner-owned workflow id', () => {
    expect(partnerNumberOfWorkflowId(annualReportWorkflowId(7, 2027))).toBe(7);
    expect(partnerNumberOfWorkflowId(accessionWorkflowId(29))).toBe(29);
    expect(partnerNumberOfWorkflowId(lifecycleWorkflowId(3))).toBe(3);
  });

  it('is none for the system check or an id that only starts like one', () => {
    expect(partnerNumberOfWorkflowId(systemCheckWorkflowId(new Date('2027-01-01T00:00:00Z')))).toBeUndefined();
    expect(partnerNumberOfWorkflowId('lifecycle/3x')).toBeUndefined();
    expect(partnerNumberOfWorkflowId('accessions/3')).toBeUndefined();
  });
});
