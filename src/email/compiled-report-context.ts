import { z } from 'zod';
import { reportStandings } from '../documents/model';

/**
 * What the staff email about a compiled annual report says: which version, how many partners'
 * reports it holds, who is missing (by name, never left out), and where the files are.
 */
export const compiledReportMailContextSchema = z.object({
  recipientName: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  version: z.number().int().min(1),
  /** The "Stand" date printed under the overview (YYYY-MM-DD). */
  asOf: z.iso.date(),
  partners: z.number().int().min(0),
  chapters: z.number().int().min(0),
  /** As the compiled version lists them; each language words the standing itself. */
  missing: z.array(
    z.object({ number: z.number().int(), organisation: z.string().min(1), standing: z.enum(reportStandings), unreadable: z.literal(true).optional() }),
  ),
  /** The files attached to this email. */
  attached: z.array(z.string().min(1)),
  /** Files too large to attach, with where they lie on the server. */
  onServer: z.array(z.object({ fileName: z.string().min(1), path: z.string().min(1), bytes: z.number().int().min(0) })),
});
export type CompiledReportMailContext = z.infer<typeof compiledReportMailContextSchema>;
