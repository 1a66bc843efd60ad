/**
 * What the cycle workflow is asked, parsed at its boundary (signals and the compile Update): the
 * same schemas for the web, the API, the CLI and the lifecycle that tells it of a new partner.
 */
import { z } from 'zod';
import { localDateSchema } from './local-date';

const requestId = z.string().min(1).max(200);
const staffName = z.string().trim().min(1).max(200);

/** Open the cycle (again): one sweep over the active partners; a request id tells the caller when its sweep is done. */
export const openCycleArgsSchema = z.strictObject({ requestId, by: staffName.optional() });

/** A partner whose accession completed while the cycle runs (its lifecycle says so). */
export const partnerJoinedArgsSchema = z.strictObject({ partnerNumber: z.int().positive(), accessionDate: localDateSchema });

/** Compile the report now, as a new version: `requestId` makes a retried request return the same version. */
export const compileCycleArgsSchema = z.strictObject({
  requestId,
  asOf: localDateSchema.optional(),
  /** Email the version to the caseworkers and the head of unit, as `cycle compile` does. */
  email: z.boolean().default(false),
  by: staffName.optional(),
});

/**
 * Typeset a stored version's PDF and DOCX again (after they failed), then email staff with them
 * (once per staff member and version, as after a compile).
 */
export const typesetArchiveArgsSchema = z.strictObject({
  version: z.int().positive(),
  email: z.boolean().default(true),
  by: staffName.optional(),
});
