// The rule the server answers after a save, with the additive `warnings` (fields no stored
// event carries, ...): non-blocking notes for the editor. Their exact shape is the
// server's; strings and {field?, message} objects are both shown as text.
import { z } from 'zod';
import { RuleSchema } from '@siem/contracts';

const WarningSchema = z.union([z.string(), z.looseObject({ message: z.string().optional(), field: z.string().optional() })]);

export const RuleAnswerSchema = RuleSchema.extend({ warnings: z.array(WarningSchema).optional() });
export type RuleAnswer = z.infer<typeof RuleAnswerSchema>;

export function warningTexts(answer: { warnings?: z.infer<typeof WarningSchema>[] | undefined }): string[] {
  return (answer.warnings ?? []).map((w) => {
    if (typeof w === 'string') return w;
    const text = w.message ?? JSON.stringify(w);
    return w.field && !text.includes(w.field) ? `${w.field}: ${text}` : text;
  });
}
