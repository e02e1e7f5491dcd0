// The shipped detections: the rules created at first start (and restorable by an admin),
// grouped by theme in default-rules/. Each one catches a step of a shipped playbook and the
// same behaviour from real shippers, using only fields real sources fill (never MITRE tags).
import type { DefaultRule } from './default-rules/common.ts';
import { AUTH_RULES } from './default-rules/auth.ts';
import { ENDPOINT_RULES } from './default-rules/endpoint.ts';
import { NETWORK_RULES } from './default-rules/network.ts';
import { PRIVILEGE_RULES } from './default-rules/privilege.ts';
import { TOOL_RULES } from './default-rules/tools.ts';
import { INTEL_RULES } from './default-rules/intel.ts';

export type { DefaultRule } from './default-rules/common.ts';

export const DEFAULT_RULES: readonly DefaultRule[] = Object.freeze([...AUTH_RULES, ...PRIVILEGE_RULES, ...NETWORK_RULES, ...ENDPOINT_RULES, ...TOOL_RULES, ...INTEL_RULES]);

const BY_KEY: ReadonlyMap<string, DefaultRule> = new Map(DEFAULT_RULES.map((r) => [r.key, r]));

export function defaultRuleByKey(key: string): DefaultRule | null {
  return BY_KEY.get(key) ?? null;
}
