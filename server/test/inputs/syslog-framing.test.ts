// RFC 6587 framing, chunk by chunk: octet counting and LF/CRLF/NUL framing chosen from the
// first byte, frames split anywhere across reads, over-long frames skipped without being
// held, bad octet counts refused, invalid UTF-8 counted and kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFramer, splitDatagram, type FrameDrop, type FramingMode } from '../../src/inputs/syslog/framing.ts';

function framer(maxBytes = 1024, mode?: FramingMode) {
  const drops: Record<string, number> = {};
  const f = createFramer({ maxBytes, ...(mode ? { mode } : {}), onDrop: (r: FrameDrop, n = 1) => (drops[r] = (drops[r] ?? 0) + n) });
  return { f, drops };
}

/** Feeds `input` in pieces of `size` bytes (every split point when size is 1). */
function feed(f: ReturnType<typeof createFramer>, input: Buffer, size: number): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let ok = true;
  for (let i = 0; i < input.length && ok; i += size) ok = f.push(input.subarray(i, i + size), lines);
  return { lines, ok };
}

const octet = (...msgs: string[]) => Buffer.from(msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
const SSH = '<38>Jan  5 10:00:01 web1 sshd[812]: Failed password for invalid user admin from 203.0.113.9 port 4242 ssh2';
const RFC5424 = '<165>1 2026-01-05T10:00:01.003Z host1 app 77 ID47 [exampleSDID@32473 iut="3" eventSource="App"] multi\nline body';

describe('syslog framing', () => {
  it('octet counting: frames split at every possible byte boundary come out whole, LF inside a frame kept', () => {
    const input = octet(SSH, RFC5424, 'é ü ✓ <13>x');
    for (const size of [1, 2, 3, 7, 64, input.length]) {
      const { f, drops } = framer();
      const { lines, ok } = feed(f, input, size);
      assert.equal(ok, true);
      assert.deepEqual(lines, [SSH, RFC5424, 'é ü ✓ <13>x'], `chunk size ${size}`);
      assert.equal(f.mode, 'octet');
      assert.equal(f.buffered, 0);
      assert.deepEqual(drops, {});
    }
  });

  it('octet counting tolerates a newline after each frame (some senders add one)', () => {
    const { f } = framer();
    const { lines } = feed(f, Buffer.from(`5 hello\n5 world\r\n`), 4);
    assert.deepEqual(lines, ['hello', 'world']);
  });

  it('non-transparent framing: LF, CRLF and NUL terminators, empty lines skipped, chosen from "<"', () => {
    const input = Buffer.from(`${SSH}\r\n<13>second\x00<13>third\n\n\r\n<14>fourth\n`);
    for (const size of [1, 5, input.length]) {
      const { f, drops } = framer();
      const { lines } = feed(f, input, size);
      assert.deepEqual(lines, [SSH, '<13>second', '<13>third', '<14>fourth']);
      assert.equal(f.mode, 'lf');
      assert.deepEqual(drops, {});
    }
  });

  it('a last line without its terminator is delivered when the stream ends', () => {
    const { f } = framer();
    const lines: string[] = [];
    f.push(Buffer.from('<13>one\n<13>two'), lines);
    assert.deepEqual(lines, ['<13>one']);
    assert.equal(f.buffered, 7);
    f.end(lines);
    assert.deepEqual(lines, ['<13>one', '<13>two']);
  });

  it('an over-long LF line is counted and skipped to the next delimiter without being held', () => {
    const { f, drops } = framer(100);
    const lines: string[] = [];
    f.push(Buffer.from('<13>short\n<13>'), lines);
    let maxHeld = 0;
    for (let i = 0; i < 1000; i++) {
      f.push(Buffer.alloc(50, 0x61), lines);
      maxHeld = Math.max(maxHeld, f.buffered);
    }
    f.push(Buffer.from('tail\n<13>after\n'), lines);
    assert.deepEqual(lines, ['<13>short', '<13>after']);
    assert.deepEqual(drops, { line_too_long: 1 });
    assert.ok(maxHeld <= 101, `held ${maxHeld} bytes`);
  });

  it('a line of exactly maxBytes is kept, one byte more is dropped (CRLF not counted as too long)', () => {
    const { f, drops } = framer(10);
    const { lines } = feed(f, Buffer.from('<13>456789\r\n<13>4567890\n'), 3);
    assert.deepEqual(lines, ['<13>456789']);
    assert.deepEqual(drops, { line_too_long: 1 });
  });

  it('an octet-counted frame over the limit is skipped by its length, the next frame still read', () => {
    const big = 'x'.repeat(5000);
    const { f, drops } = framer(1000);
    let maxHeld = 0;
    const lines: string[] = [];
    const input = octet('<13>a', big, '<13>b');
    for (let i = 0; i < input.length; i += 100) {
      f.push(input.subarray(i, i + 100), lines);
      maxHeld = Math.max(maxHeld, f.buffered);
    }
    assert.deepEqual(lines, ['<13>a', '<13>b']);
    assert.deepEqual(drops, { line_too_long: 1 });
    assert.equal(maxHeld, 0);
  });

  it('a bad octet count (letters, leading zero, absurd length) refuses the stream', () => {
    for (const bad of ['12x <13>a', '05 hello', '99999999999 x', '5\nhello']) {
      const { f, drops } = framer();
      const { lines, ok } = feed(f, Buffer.from(`5 hello${bad}`), 2);
      assert.equal(ok, false, bad);
      assert.deepEqual(lines, ['hello'], bad);
      assert.deepEqual(drops, { bad_frame: 1 }, bad);
      assert.equal(f.push(Buffer.from('5 hello'), lines), false, 'stays refused');
    }
  });

  it('a stream cut inside an octet-counted frame counts a bad frame', () => {
    const { f, drops } = framer();
    const lines: string[] = [];
    f.push(Buffer.from('10 <13>ab'), lines);
    f.end(lines);
    assert.deepEqual(lines, []);
    assert.deepEqual(drops, { bad_frame: 1 });
  });

  it('invalid UTF-8 is decoded with replacement characters, counted, and the line kept', () => {
    const bad = Buffer.concat([Buffer.from('<13>user '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' end')]);
    const { f, drops } = framer();
    const lines: string[] = [];
    f.push(Buffer.concat([bad, Buffer.from('\n<13>fine é\n')]), lines);
    assert.deepEqual(lines, ['<13>user \ufffd(\ufffd end', '<13>fine é']);
    assert.deepEqual(drops, { invalid_utf8: 1 });
  });

  it('a multi-byte character split across reads is not mistaken for invalid UTF-8', () => {
    const { f, drops } = framer();
    const input = Buffer.from('<13>naïve ✓ café\n');
    const { lines } = feed(f, input, 1);
    assert.deepEqual(lines, ['<13>naïve ✓ café']);
    assert.deepEqual(drops, {});
  });

  it('a UDP datagram is one message, or several separated by LF', () => {
    const out: string[] = [];
    const drops: string[] = [];
    splitDatagram(Buffer.from(SSH), 1024, (r) => drops.push(r), out);
    splitDatagram(Buffer.from('<13>a\n<13>b\r\n'), 1024, (r) => drops.push(r), out);
    splitDatagram(Buffer.from(`<13>${'y'.repeat(2000)}`), 1024, (r) => drops.push(r), out);
    assert.deepEqual(out, [SSH, '<13>a', '<13>b']);
    assert.deepEqual(drops, ['line_too_long']);
  });
});
