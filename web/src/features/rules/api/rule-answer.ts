// The rule the server answers after a save, with the additive `warnings` (fields no stored
// event carries, ...): non-blocking notes for the editor. Their exact shape is the
// server's; strings and {field?, message} objects are both shown as text.
import { z } from 'zod';
import { RuleSchema } from '@siem/contracts';

const WarningSchema = z.union([z.string(), z.looseObject({ message: z.string().optional(), field: z.string().optional() })]);

export const RuleAnswerSchema = RuleSchema.extend({ warnings: z.array(WarningSchema).optional() });
export type RuleAnswer = z.infer<typeof RuleAnswerSchema>;

export interface RuleWarningNote {
  /** Path relative to `conditions` (`event_filter.any.1.process.name`), when the server gave one. */
  field: string | null;
  message: string;
}

export function ruleWarnings(answer: { warnings?: z.infer<typeof WarningSchema>[] | undefined }): RuleWarningNote[] {
  return (answer.warnings ?? []).map((w) =>
    typeof w === 'string' ? { field: null, message: w } : { field: w.field ?? null, message: w.message ?? JSON.stringify(w) });
}
