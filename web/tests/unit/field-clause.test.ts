// A value clicked in the field statistics becomes a query clause the server's parser reads
// back as exactly that value on that field (quotes, backslashes and wildcards stay literal).
import { describe, expect, it } from 'vitest';
import { andClause, fieldClause } from '../../src/features/logs/components/field-sidebar.tsx';

describe('fieldClause', () => {
  it.each([
    ['dest_port', '443', 'dest_port:"443"'],
    ['user.name', 'alice', 'user.name:"alice"'],
    ['tags', 'threat-intel-match', 'fields.tags:"threat-intel-match"'],
    ['process.command_line', 'cmd /c "echo \\x"', 'process.command_line:"cmd /c \\"echo \\\\x\\""'],
    ['message', 'a* OR b?', 'fields.message:"a* OR b?"'],
  ])('%s = %s', (field, value, clause) => expect(fieldClause(field, value)).toBe(clause));

  it('ANDs a clause to the current query, keeping its own precedence', () => {
    expect(andClause(null, 'a:"1"')).toBe('a:"1"');
    expect(andClause('  ', 'a:"1"')).toBe('a:"1"');
    expect(andClause('x:1 OR y:2', 'a:"1"')).toBe('(x:1 OR y:2) AND a:"1"');
  });
});
