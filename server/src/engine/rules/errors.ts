// The compile-stage error: what zod let through but the engine cannot use (a network its
// parser refuses, an operand of the wrong type when a caller skipped validation), located
// by a path relative to the rule's `conditions`, like the schema's own details.
import type { ErrorDetail } from '@siem/contracts';

export class RuleCompileError extends Error {
  readonly path: readonly (string | number)[];
  readonly type: string;

  constructor(path: readonly (string | number)[], message: string, type = 'value_error') {
    super(path.length > 0 ? `${path.join('.')}: ${message}` : message);
    this.name = 'RuleCompileError';
    this.path = path;
    this.type = type;
  }

  /** The validation detail, `field` relative to `conditions`. */
  get detail(): ErrorDetail {
    const prefix = this.path.length > 0 ? `${this.path.join('.')}: ` : '';
    return { field: this.path.join('.'), message: this.message.slice(prefix.length), type: this.type };
  }
}
