// The condition tree <-> JSON: filters nobody edits come back exactly as loaded (old flat
// rules, nested groups, negated operators, lists, modifiers), edits produce the language's
// shapes, and every node knows the path the server would name in an error.
import { describe, expect, it } from 'vitest';
import { newGroup, newPredicate, parseFilter, replaceNode, serializeFilter, serializeFilterWithPaths } from '../../src/features/rules/utils/filter-tree.ts';
import type { Group, Predicate } from '../../src/features/rules/utils/filter-tree.ts';
import { setCased, setOfAll, setOp, setValues, valuesOf } from '../../src/features/rules/utils/predicate-edit.ts';
import { bodyToDraft, draftToBody } from '../../src/features/rules/utils/rule-draft.ts';
import { placeErrors } from '../../src/features/rules/utils/error-placement.ts';

const roundTrip = (f: unknown) => serializeFilter(parseFilter(f));

const FIXTURES: Record<string, Record<string, unknown>> = {
  'old flat equality': { event_type: 'login_failure', 'normalized.service': 'sshd' },
  'old operators': {
    event_type: { in: ['login_failure', 'auth_failure'] },
    username: { not: 'root' },
    hostname: { exists: false },
    dest_port: { gte: 1024 },
    source_ip: { cidr: '10.0.0.0/8' },
    message: { contains: 'Failed' },
  },
  'the spec example': {
    event_type: 'process_start',
    'process.command_line': { contains: ['-enc', '-encodedcommand'] },
    'process.executable': { endswith: '\\powershell.exe', not_contains: '\\windowsapps\\' },
    any: [{ 'user.name': { in_list: 'admins' } }, { 'host.name': { wildcard: 'dc-*' } }],
    not: { 'process.parent.name': ['explorer.exe', 'services.exe'] },
  },
  'nested groups': {
    any: [
      { event_type: 'a', username: 'root' },
      { all: [{ hostname: { regex: '^dc-\\d+$', cased: true } }, { not: { dest_port: { lt: 1024 } } }] },
      { not: { any: [{ username: { not_in_list: ['admins', 'ops'] } }, { source_ip: { not_cidr: '192.168.0.0/16' } }] } },
    ],
    all: [{ message: { contains: ['a', 'b'], of: 'all' } }],
  },
  'mixed list and odd values kept raw': { username: ['root', { startswith: 'adm' }], count: 3, 'fields.flag': true, weird: { contains: { nested: 1 } } },
  'empty filter': {},
  'equals with numbers and booleans': { dest_port: { equals: [22, 2222] }, 'fields.ok': { equals: true, cased: false } },
};

describe('filter tree round trip', () => {
  for (const [name, filter] of Object.entries(FIXTURES)) {
    it(`keeps ${name} unchanged`, () => {
      expect(roundTrip(filter)).toEqual(filter);
      // And a second pass is stable too.
      expect(roundTrip(roundTrip(filter))).toEqual(filter);
    });
  }

  it('reads nested groups as groups and predicates', () => {
    const root = parseFilter(FIXTURES['nested groups']);
    expect(root.children.map((c) => (c.kind === 'group' ? c.op : c.field))).toEqual(['any', 'all']);
    const any = root.children[0] as Group;
    expect(any.children.map((c) => (c.kind === 'group' ? `${c.op}${c.inline ? ' (inline)' : ''}` : c.field))).toEqual(['all (inline)', 'all', 'not']);
    const regex = ((any.children[1] as Group).children[0] as Predicate);
    expect(regex).toMatchObject({ field: 'hostname', shape: 'object', cased: true, tests: [{ op: 'regex', value: '^dc-\\d+$' }] });
  });

  it('keeps a whole rule in the old format unchanged through the draft', () => {
    const body = {
      name: 'SSH brute force',
      description: '',
      rule_type: 'threshold',
      severity: 'high',
      enabled: true,
      mitre_tactic: 'TA0006',
      mitre_technique: 'T1110.001',
      conditions: { event_filter: { event_type: { in: ['login_failure'] }, 'normalized.service': 'sshd' }, threshold: 5, window_seconds: 600, group_by: 'source_ip', note: 'kept' },
    };
    const out = draftToBody(bodyToDraft(body), 'create');
    expect(out.conditions).toEqual(body.conditions);
  });

  it('keeps sequence steps, order, exceptions and a group_by list', () => {
    const conditions = {
      steps: [{ event_filter: { event_type: 'login_failure' }, count: 5, label: 'failures' }, { event_filter: { any: [{ event_type: 'login_success' }, { event_type: 'sudo' }] } }],
      ordered: false,
      window_seconds: 300,
      group_by: ['source_ip'],
      exceptions: [{ username: { in_list: 'scanners' } }, { source_ip: { cidr: ['10.0.0.0/8', '192.168.0.0/16'] } }],
    };
    const out = draftToBody(bodyToDraft({ name: 's', rule_type: 'sequence', severity: 'low', conditions }), 'edit');
    expect(out.conditions).toEqual(conditions);
  });

  it('keeps a single rule without window or group', () => {
    const conditions = { event_filter: { 'process.name': { endswith: 'mimikatz.exe' } } };
    expect(draftToBody(bodyToDraft({ name: 's', rule_type: 'single', severity: 'high', conditions }), 'edit').conditions).toEqual(conditions);
  });
});

describe('filter tree edits', () => {
  it('writes a nested any group built in the builder', () => {
    const root = parseFilter({ event_type: 'process_start' });
    const any = newGroup('any', 'all');
    any.children = [newPredicate('user.name', 'root'), newGroup('all', 'any')];
    const inner = any.children[1] as Group;
    inner.children = [newPredicate('host.name', 'dc-1'), newPredicate('source_ip')];
    inner.children[1] = setValues(setOp(inner.children[1] as Predicate, 0, 'not_cidr'), 0, ['10.0.0.0/8']);
    const tree: Group = { ...root, children: [...root.children, any] };
    expect(serializeFilter(tree)).toEqual({
      event_type: 'process_start',
      any: [{ 'user.name': 'root' }, { 'host.name': 'dc-1', source_ip: { not_cidr: '10.0.0.0/8' } }],
    });
  });

  it('turns chips into lists and toggles the modifiers', () => {
    let p = newPredicate('username', 'root');
    p = setValues(p, 0, ['root', 'admin']);
    expect(serializeFilter({ ...parseFilter({}), children: [p] })).toEqual({ username: ['root', 'admin'] });
    p = setOp(p, 0, 'contains');
    expect(valuesOf(p.tests[0]!)).toEqual(['root', 'admin']);
    p = setOfAll(setCased(p, true), true);
    expect(serializeFilter({ ...parseFilter({}), children: [p] })).toEqual({ username: { contains: ['root', 'admin'], cased: true, of: 'all' } });
    p = setCased(setOfAll(p, false), false);
    expect(serializeFilter({ ...parseFilter({}), children: [p] })).toEqual({ username: { contains: ['root', 'admin'] } });
    const port = setValues(setOp(newPredicate('dest_port'), 0, 'gte'), 0, ['1024']);
    expect(port.tests[0]).toEqual({ op: 'gte', value: 1024 });
    const exists = setOp(newPredicate('hostname'), 0, 'exists');
    expect(exists.tests[0]).toEqual({ op: 'exists', value: true });
    expect(setOp(newPredicate('u'), 0, 'in').tests[0]).toEqual({ op: 'in', value: [] });
  });

  it('leaves out a row added and left empty', () => {
    const root: Group = { ...parseFilter({ event_type: 'a' }), children: [...parseFilter({ event_type: 'a' }).children, newPredicate()] };
    expect(serializeFilter(root)).toEqual({ event_type: 'a' });
    const half: Group = { ...root, children: [newPredicate('', 'x')] };
    expect(serializeFilter(half)).toEqual({ '': 'x' });
  });

  it('puts a field used twice in one group under all', () => {
    const root: Group = { ...parseFilter({}), children: [newPredicate('username', 'a'), setOp(newPredicate('username', 'b'), 0, 'not_equals')] };
    const { filter, paths } = serializeFilterWithPaths(root, 'conditions.event_filter');
    expect(filter).toEqual({ username: 'a', all: [{ username: { not_equals: 'b' } }] });
    expect([...paths.values()]).toEqual(['conditions.event_filter', 'conditions.event_filter.username', 'conditions.event_filter.all.0.username']);
    expect(roundTrip(filter)).toEqual(filter);
  });

  it('gives every node the path the server names', () => {
    const root = parseFilter(FIXTURES['nested groups']);
    const { paths } = serializeFilterWithPaths(root, 'conditions.event_filter');
    const any = root.children[0] as Group;
    const notGroup = any.children[2] as Group;
    const innerAny = notGroup.children[0] as Group;
    expect(paths.get(innerAny.children[1]!.id)).toBe('conditions.event_filter.any.2.not.any.1.source_ip');
    expect(paths.get((any.children[0] as Group).children[1]!.id)).toBe('conditions.event_filter.any.0.username');
  });

  it('removes a node anywhere in the tree', () => {
    const root = parseFilter(FIXTURES['nested groups']);
    const any = root.children[0] as Group;
    const next = replaceNode(root, any.children[1]!.id, null);
    expect((serializeFilter(next).any as unknown[]).length).toBe(2);
  });
});

describe('error placement', () => {
  it('puts each error at the deepest node it names, known inputs aside, the rest nowhere', () => {
    const draft = bodyToDraft({ name: 'x', rule_type: 'threshold', severity: 'low', conditions: { event_filter: FIXTURES['nested groups'], threshold: 1, window_seconds: 60, group_by: 'source_ip', exceptions: [{ username: 'svc' }] } });
    const trees = [serializeFilterWithPaths(draft.filter, 'conditions.event_filter').paths, serializeFilterWithPaths(draft.exceptions[0]!, 'conditions.exceptions.0').paths];
    const errors = {
      'conditions.event_filter.any.2.not.any.1.source_ip.not_cidr': 'bad network',
      'conditions.event_filter.any.5': 'no such item',
      'conditions.exceptions.0.username': 'bad user',
      'conditions.threshold': 'too small',
      'conditions.group_by.1': 'unknown field',
      'conditions.mystery': 'what',
    };
    const { byNode, placed } = placeErrors(errors, draft, trees);
    const any = draft.filter.children[0] as Group;
    const source = ((any.children[2] as Group).children[0] as Group).children[1]!;
    expect(byNode.get(source.id)).toBe('bad network');
    expect(byNode.get(any.id)).toBe('no such item');
    expect(byNode.get(draft.exceptions[0]!.children[0]!.id)).toBe('bad user');
    expect([...placed].sort()).toEqual(Object.keys(errors).filter((k) => k !== 'conditions.mystery').sort());
  });
});

describe('the shipped rules', () => {
  it('load into the builder and save unchanged', async () => {
    // Imported by computed path so the web type-check does not pull in the server.
    const url = new URL('../../../server/src/scenarios/default-rules.ts', import.meta.url).pathname;
    const { DEFAULT_RULES } = (await import(/* @vite-ignore */ url)) as { DEFAULT_RULES: { rule: Record<string, unknown> }[] };
    expect(DEFAULT_RULES.length).toBeGreaterThan(10);
    for (const { rule } of DEFAULT_RULES) {
      const out = draftToBody(bodyToDraft(rule), 'create');
      expect(out.conditions, String(rule.name)).toEqual(rule.conditions);
    }
  });
});
