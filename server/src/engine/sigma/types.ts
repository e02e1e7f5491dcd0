// Shapes shared by the Sigma translator's stages: the refusal every stage throws (with the
// field and modifier it is about), the intermediate condition tree, and what a translated
// document becomes.
import type { RuleType, Severity } from '@siem/contracts';

/** Why one Sigma document cannot become a rule; field / modifier locate it inside the document. */
export class SigmaRefusal extends Error {
  readonly field: string | undefined;
  readonly modifier: string | undefined;
  constructor(reason: string, at: { field?: string; modifier?: string } = {}) {
    super(reason);
    this.name = 'SigmaRefusal';
    this.field = at.field;
    this.modifier = at.modifier;
  }
}

/** One operator object of our rule language ({ contains: [...], cased: true }...). */
export type OperatorObject = Record<string, unknown>;

/**
 * The condition tree between Sigma and our filters. A test is one field with one operator
 * object; `value` lists mean "any of" (an item is a plain operand or an operator object).
 */
export type Node =
  | { kind: 'and'; items: Node[] }
  | { kind: 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'test'; field: string; test: OperatorObject }
  | { kind: 'const'; value: boolean };

export const and = (items: Node[]): Node => (items.length === 1 ? items[0]! : { kind: 'and', items });
export const or = (items: Node[]): Node => (items.length === 1 ? items[0]! : { kind: 'or', items });

/** Filter object of our rule language. */
export type Filter = Record<string, unknown>;

export interface SigmaOrigin {
  kind: 'sigma';
  id: string | null;
  status: string | null;
  author: string | null;
  references: string[];
  false_positives: string[];
  tags: string[];
  level: string | null;
  date: string | null;
  modified: string | null;
  logsource: Record<string, string>;
  /** Sigma ids of the rules a correlation inlined. */
  correlated?: string[];
}

export interface TranslatedRule {
  name: string;
  description: string;
  rule_type: RuleType | 'single';
  conditions: Record<string, unknown>;
  severity: Severity;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  mitre_techniques: string[];
  /** The Sigma tags that fit a rule tag, normalized (ruleTagsFrom). */
  tags: string[];
  origin: SigmaOrigin;
}

export interface DocumentRef {
  file: string;
  /** 1-based position of the YAML document in its file. */
  document: number;
  title: string | null;
  sigma_id: string | null;
}

export type DocumentResult = DocumentRef &
  (
    | { outcome: 'translated'; rule: TranslatedRule; warnings: string[] }
    | { outcome: 'refused'; reason: string; field?: string; modifier?: string; warnings: string[] }
    /** A rule a correlation in the batch inlined (Sigma `generate: false`): no rule of its own. */
    | { outcome: 'included'; reason: string; warnings: string[] }
  );

/** Per-document context the stages read: the logsource and the warnings they add. */
export interface TranslateContext {
  logsource: Record<string, string>;
  warnings: string[];
  /** Sigma fields no taxonomy module knew -> where they were looked for instead. */
  fallbacks: Map<string, string>;
}
