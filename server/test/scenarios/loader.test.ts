// Playbook loading: parsing with the playbook defaults, every error located (file, event index,
// field, line) and collected, the directory listing (only *.yml directly inside, invalid
// files listed with their errors) and the strict resolution of a requested file name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PlaybookInfoSchema, type PlaybookError } from '@siem/contracts';
import { loadPlaybookDir, loadPlaybookFile, parsePlaybook, PLAYBOOK_LIMITS, resolvePlaybookFile } from '../../src/scenarios/loader.ts';

const VALID = `# comment
name: Demo attack
description: Two events
mitre_tactics: [TA0006]
mitre_techniques:
  - T1110.001
events:
  - delay_seconds: 1.5
    source_type: auth
    event_type: login_failure
    source_ip: 198.51.100.7
    username: root
    dest_port: 22
    hostname: null
    result: failure
    mitre_tactic: TA0006
    mitre_technique: T1110.001
    metadata: { stage: one, benign: false }
  - message: hello
    timestamp: 2026-03-01T12:00:00Z
    custom: [1, 2]
`;

function errorsOf(text: string, file = 'bad.yml'): PlaybookError[] {
  const result = parsePlaybook(text, file);
  assert.equal(result.ok, false, 'expected the playbook to be rejected');
  return result.ok ? [] : result.errors;
}

/** The one error about `field` (of event `index` when given). */
function errorAt(errors: PlaybookError[], field: string | undefined, index?: number): PlaybookError {
  const found = errors.find((e) => e.field === field && e.event_index === index);
  assert.ok(found, `no error at ${index ?? '-'}/${field}: ${JSON.stringify(errors)}`);
  return found;
}

test('a valid playbook parses with its events, null keys dropped and extra keys kept', () => {
  const result = parsePlaybook(VALID, 'demo.yml');
  assert.ok(result.ok);
  const p = result.playbook;
  assert.equal(p.name, 'Demo attack');
  assert.equal(p.description, 'Two events');
  assert.deepEqual(p.mitre_tactics, ['TA0006']);
  assert.deepEqual(p.mitre_techniques, ['T1110.001']);
  assert.equal(p.events.length, 2);
  assert.deepEqual(p.events[0], {
    delay_seconds: 1.5,
    fields: {
      source_type: 'auth',
      event_type: 'login_failure',
      source_ip: '198.51.100.7',
      username: 'root',
      dest_port: 22,
      result: 'failure',
      mitre_tactic: 'TA0006',
      mitre_technique: 'T1110.001',
      metadata: { stage: 'one', benign: false },
    },
  });
  // Defaults: delay 0, generic, event_type ""; a timestamp stays text (core schema, no Date).
  assert.deepEqual(p.events[1], {
    delay_seconds: 0,
    fields: { source_type: 'generic', event_type: '', message: 'hello', timestamp: '2026-03-01T12:00:00Z', custom: [1, 2] },
  });
});

test('absent top-level keys take their defaults: name from the file name, empty lists', () => {
  for (const text of ['{}', 'events:\n', 'description: null\nevents: []\n']) {
    const result = parsePlaybook(text, 'quiet_night.yml');
    assert.ok(result.ok, text);
    assert.deepEqual(result.playbook, { name: 'quiet_night', description: '', mitre_tactics: [], mitre_techniques: [], events: [] });
  }
});

test('a top level that is not a mapping is rejected with a located error', () => {
  for (const text of ['- a\n- b\n', 'just text\n', '', '42']) {
    const errors = errorsOf(text);
    assert.equal(errors.length, 1, text);
    assert.equal(errors[0]!.file, 'bad.yml');
    assert.match(errors[0]!.message, /top level must be a mapping/);
  }
  assert.equal(errorsOf('- a\n- b\n')[0]!.line, 1);
});

test('an event that is not a mapping is located by index and line', () => {
  const errors = errorsOf('name: x\nevents:\n  - delay_seconds: 1\n  - just a string\n  - [1, 2]\n');
  assert.equal(errors.length, 2);
  assert.deepEqual(errorAt(errors, undefined, 1), { file: 'bad.yml', event_index: 1, line: 4, message: "each event must be a mapping of fields, got text 'just a string'" });
  assert.equal(errorAt(errors, undefined, 2).line, 5);
});

test('bad delays are located at the field: non-numeric, negative, infinite, too long', () => {
  const text = ['events:', '  - delay_seconds: soon', '  - delay_seconds: -1', '  - delay_seconds: .inf', '  - delay_seconds: 90000', '  - delay_seconds: true', '  - delay_seconds: "5"', ''].join('\n');
  const errors = errorsOf(text);
  assert.equal(errors.length, 6);
  errors.forEach((e, i) => {
    assert.equal(e.event_index, i);
    assert.equal(e.field, 'delay_seconds');
    assert.equal(e.line, i + 2);
  });
  assert.match(errors[0]!.message, /delay_seconds must be a number of seconds, got text 'soon'/);
  assert.match(errors[1]!.message, /between 0 and 86400/);
});

test('an unknown source_type lists the valid ones', () => {
  const errors = errorsOf('events:\n  - source_type: netflow\n    event_type: x\n');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.field, 'source_type');
  assert.equal(errors[0]!.line, 2);
  assert.match(errors[0]!.message, /unknown source_type text 'netflow'; valid: firewall, ids, auth, endpoint, dns, proxy, generic/);
});

test('mitre lists must be lists of strings; each bad item is located', () => {
  const errors = errorsOf('mitre_tactics: TA0006\nmitre_techniques:\n  - T1110\n  - 42\n  - { a: 1 }\n');
  assert.equal(errors.length, 3);
  assert.deepEqual(errorAt(errors, 'mitre_tactics'), { file: 'bad.yml', field: 'mitre_tactics', line: 1, message: "mitre_tactics must be a list of strings, got text 'TA0006'" });
  assert.equal(errorAt(errors, 'mitre_techniques[1]').line, 4);
  assert.equal(errorAt(errors, 'mitre_techniques[2]').line, 5);
});

test('events are checked as ingest would check them: addresses, ports, times, types', () => {
  const text = [
    'events:',
    '  - source_type: firewall',
    '    source_ip: 999.1.1.1',
    '    dest_port: 70000',
    '  - source_type: auth',
    '    timestamp: yesterday',
    '    username: [a]',
    '    metadata: text',
    '',
  ].join('\n');
  const errors = errorsOf(text);
  assert.deepEqual(errorAt(errors, 'source_ip', 0).line, 3);
  assert.deepEqual(errorAt(errors, 'dest_port', 0).line, 4);
  assert.deepEqual(errorAt(errors, 'username', 1).line, 7);
  assert.deepEqual(errorAt(errors, 'metadata', 1).line, 8);
  assert.deepEqual(errorAt(errors, 'timestamp', 1).line, 6);
  assert.equal(errors.length, 5);
});

test('all problems of a file are reported together, not just the first', () => {
  const text = ['name: 42', 'mitre_tactics: nope', 'events:', '  - delay_seconds: x', '  - source_type: nope', '  - 7', ''].join('\n');
  const errors = errorsOf(text);
  assert.deepEqual(
    errors.map((e) => [e.event_index ?? null, e.field ?? null, e.line]),
    [[null, 'name', 1], [null, 'mitre_tactics', 2], [0, 'delay_seconds', 4], [1, 'source_type', 5], [2, null, 6]],
  );
});

test('YAML syntax errors, custom tags, duplicate keys and several documents are rejected with a line', () => {
  const cases: [string, RegExp, number][] = [
    ['events:\n  - { a: 1\nname: x\n', /invalid YAML/, 3],
    ['name: !!js/function "x"\n', /Unresolved tag/, 1],
    ['name: x\nevents:\n  - when: !!timestamp 2026-01-01\n', /Unresolved tag/, 3],
    ['name: x\nname: y\n', /unique/, 2],
    ['name: x\n---\nname: y\n', /multiple documents/i, 2],
  ];
  for (const [text, message, line] of cases) {
    const errors = errorsOf(text);
    assert.match(errors[0]!.message, message, text);
    assert.equal(errors[0]!.line, line, text);
  }
});

test('resource limits: size, event count, alias expansion, prototype keys', () => {
  const big = `name: x\ndescription: "${'a'.repeat(PLAYBOOK_LIMITS.maxBytes)}"\n`;
  assert.match(errorsOf(big)[0]!.message, /larger than 1048576 bytes/);
  const many = `events:\n${'  - {}\n'.repeat(PLAYBOOK_LIMITS.maxEvents + 1)}`;
  const tooMany = errorsOf(many);
  assert.equal(tooMany.length, 1);
  assert.match(tooMany[0]!.message, /at most 10000 events/);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), ''].join('\n');
  assert.match(errorsOf(bomb)[0]!.message, /invalid YAML/);
  const proto = errorsOf('events:\n  - source_type: generic\n    metadata: { __proto__: { polluted: 1 } }\n');
  assert.equal(proto[0]!.field, 'metadata.__proto__');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a long list of errors is capped with a summary line', () => {
  const text = `events:\n${'  - delay_seconds: x\n'.repeat(PLAYBOOK_LIMITS.maxErrors + 5)}`;
  const errors = errorsOf(text);
  assert.equal(errors.length, PLAYBOOK_LIMITS.maxErrors + 1);
  assert.equal(errors.at(-1)!.message, '5 more problems not listed');
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'playbooks-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function fixture(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'b_valid.yml'), VALID);
  await writeFile(path.join(dir, 'a_broken.yml'), 'name: Broken one\nevents:\n  - delay_seconds: later\n  - 5\n');
  await writeFile(path.join(dir, 'c_other.yaml'), VALID);
  await writeFile(path.join(dir, '.hidden.yml'), VALID);
  await writeFile(path.join(dir, 'notes.txt'), 'x');
  await mkdir(path.join(dir, 'sub'));
  await writeFile(path.join(dir, 'sub', 'nested.yml'), VALID);
  await mkdir(path.join(dir, 'folder.yml'));
}

test('the directory listing has only *.yml files directly inside, sorted, invalid ones with their errors', async () => {
  await withDir(async (dir) => {
    await fixture(dir);
    const entries = await loadPlaybookDir(dir);
    assert.deepEqual(entries.map((e) => e.filename), ['a_broken.yml', 'b_valid.yml']);
    const [broken, valid] = entries as [(typeof entries)[0], (typeof entries)[0]];
    assert.equal(broken.playbook, undefined);
    assert.deepEqual(broken.info, {
      filename: 'a_broken.yml',
      name: 'Broken one',
      description: '',
      mitre_tactics: [],
      mitre_techniques: [],
      event_count: 2,
      valid: false,
      errors: [
        "a_broken.yml: events[0].delay_seconds (line 3): delay_seconds must be a number of seconds, got text 'later'",
        'a_broken.yml: events[1] (line 4): each event must be a mapping of fields, got number 5',
      ],
    });
    assert.deepEqual(broken.errors.map((e) => [e.event_index, e.line]), [[0, 3], [1, 4]]);
    assert.ok(valid.playbook);
    assert.deepEqual(valid.errors, []);
    assert.deepEqual(valid.info, { filename: 'b_valid.yml', name: 'Demo attack', description: 'Two events', mitre_tactics: ['TA0006'], mitre_techniques: ['T1110.001'], event_count: 2, valid: true });
    for (const e of entries) assert.deepEqual(PlaybookInfoSchema.parse(e.info), e.info);
  });
});

test('a missing directory lists nothing; a link to a playbook file is listed', async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await loadPlaybookDir(path.join(dir, 'absent')), []);
    await mkdir(path.join(dir, 'store'));
    await writeFile(path.join(dir, 'store', 'real.yml'), VALID);
    await symlink(path.join(dir, 'store', 'real.yml'), path.join(dir, 'linked.yml'));
    await symlink(path.join(dir, 'store'), path.join(dir, 'dirlink.yml'));
    const entries = await loadPlaybookDir(dir);
    assert.deepEqual(entries.map((e) => [e.filename, e.info.valid]), [['linked.yml', true]]);
  });
});

test('an oversized file is reported without being parsed', async () => {
  await withDir(async (dir) => {
    await writeFile(path.join(dir, 'huge.yml'), `# ${'x'.repeat(PLAYBOOK_LIMITS.maxBytes)}\n`);
    const [entry] = await loadPlaybookDir(dir);
    assert.equal(entry!.info.valid, false);
    assert.match(entry!.errors[0]!.message, /larger than/);
  });
});

test('resolvePlaybookFile accepts only the exact listed names', async () => {
  await withDir(async (dir) => {
    await fixture(dir);
    assert.equal(await resolvePlaybookFile(dir, 'b_valid.yml'), path.join(dir, 'b_valid.yml'));
    assert.equal(await resolvePlaybookFile(dir, 'a_broken.yml'), path.join(dir, 'a_broken.yml'));
    const refused = [
      '../x.yml', 'a/b.yml', 'sub/nested.yml', '/etc/passwd.yml', path.join(dir, 'b_valid.yml'), '..\\b_valid.yml',
      'c_other.yaml', '.hidden.yml', 'folder.yml', 'missing.yml', 'notes.txt', '', '..', 'b_valid.yml\0', 'B_VALID.yml', './b_valid.yml',
    ];
    for (const name of refused) assert.equal(await resolvePlaybookFile(dir, name), null, JSON.stringify(name));
  });
});

test('loadPlaybookFile returns the parsed entry of a listed name and null otherwise', async () => {
  await withDir(async (dir) => {
    await fixture(dir);
    assert.equal((await loadPlaybookFile(dir, 'b_valid.yml'))?.playbook?.name, 'Demo attack');
    assert.equal((await loadPlaybookFile(dir, 'a_broken.yml'))?.info.valid, false);
    assert.equal(await loadPlaybookFile(dir, '../b_valid.yml'), null);
    assert.equal(await loadPlaybookFile(dir, 'sub/nested.yml'), null);
  });
});
