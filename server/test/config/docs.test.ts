// The documentation keeps up with the code: every setting is in the README's table and
// every error code in docs/errors.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../../src/config.ts';
import { ERROR_CODES } from '../../src/errors.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('documentation', () => {
  it('the README lists every configuration variable', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const missing = Object.keys(ConfigSchema.shape).filter((key) => !readme.includes(`\`${key}\``));
    assert.deepEqual(missing, []);
  });

  it('docs/errors.md documents every error code with its class', () => {
    const doc = fs.readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
    for (const [code, errorClass] of Object.entries(ERROR_CODES)) {
      assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${errorClass} \\|`), `${code} is not documented`);
    }
  });
});
