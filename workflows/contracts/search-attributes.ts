import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
// The SDK exports the key type only from its lib path (its testing package imports it the same way).
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

/** Typed search attributes: workflows upsert them, the CLI and the Web UI list by them. */
export const PartnerNumber = defineSearchAttributeKey('PartnerNumber', SearchAttributeType.INT);
export const ReportYear = defineSearchAttributeKey('ReportYear', SearchAttributeType.INT);
export const ReportPhase = defineSearchAttributeKey('ReportPhase', SearchAttributeType.KEYWORD);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);
export const WorkflowKind = defineSearchAttributeKey('WorkflowKind', SearchAttributeType.KEYWORD);

/**
 * Every key the server must know before a workflow may set it. This is also the shape
 * `TestWorkflowEnvironment.createLocal({ server: { searchAttributes } })` takes.
 */
export const searchAttributeRegistrations: SearchAttributeKey<SearchAttributeType>[] = [
  PartnerNumber,
  ReportYear,
  ReportPhase,
  EscalationLevel,
  WorkflowKind,
];

/** `--search-attribute Name=Int ...` for `temporal server start-dev`. */
export function searchAttributeCliArgs(): string[] {
  return searchAttributeRegistrations.flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${TypedSearchAttributes.toMetadataType(type)}`,
  ]);
}
