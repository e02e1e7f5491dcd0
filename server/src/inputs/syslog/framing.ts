// Syslog framing over a byte stream (RFC 6587): octet counting (`<len> <msg>`) or
// non-transparent framing (LF, tolerating CRLF and NUL), chosen per connection from its first
// byte. Incremental and free of I/O: chunks in, decoded lines out, drops reported. Whatever a
// sender does, a framer holds at most one frame of maxBytes; longer frames are skipped unread.
import { decodeLine } from '../../engine/parse/index.ts';

export type FrameDrop = 'line_too_long' | 'invalid_utf8' | 'bad_frame';
export type FramingMode = 'auto' | 'octet' | 'lf';

export interface FramerOptions {
  /** Longest message kept, in bytes (the frame body for octet counting). */
  maxBytes: number;
  mode?: FramingMode;
  onDrop(reason: FrameDrop, n?: number): void;
}

export interface Framer {
  /**
   * Frames `chunk`, appending complete messages to `out`. Returns false once the stream is
   * not syslog (an octet count that is not one): the caller closes the connection.
   */
  push(chunk: Uint8Array, out: string[]): boolean;
  /** The stream ended: a last LF-framed message without its terminator still counts. */
  end(out: string[]): void;
  /** Bytes held for the frame in progress. */
  readonly buffered: number;
  readonly mode: FramingMode;
}

const LF = 10;
const CR = 13;
const SP = 32;
const NUL = 0;
const ZERO = 48;
const NINE = 57;
/** An octet count longer than this is garbage, not a big message (10 digits > 2^31). */
const MAX_COUNT_DIGITS = 10;
/** Held buffers above this size are released after their frame, so idle connections stay small. */
const KEEP_BUFFER_BYTES = 16_384;

const isSeparator = (b: number) => b === LF || b === CR || b === NUL || b === SP;

export function createFramer(opts: FramerOptions): Framer {
  const maxBytes = opts.maxBytes;
  let mode: FramingMode = opts.mode ?? 'auto';
  let failed = false;
  // The frame in progress: one growable buffer, so a sender trickling bytes costs one copy each.
  let acc: Buffer | null = null;
  let accLen = 0;
  // Octet counting.
  let phase: 'count' | 'body' | 'skip' = 'count';
  let count = 0;
  let digits = 0;
  let remaining = 0;
  // Non-transparent framing: inside a line that is already too long.
  let discarding = false;

  function append(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const need = accLen + n;
    if (!acc || acc.length < need) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(need, (acc?.length ?? 0) * 2, 256), Math.max(need, maxBytes)));
      if (acc && accLen > 0) acc.copy(grown, 0, 0, accLen);
      acc = grown;
    }
    acc.set(src.subarray(from, to), accLen);
    accLen = need;
  }

  function releaseHeld(): void {
    accLen = 0;
    if (acc && acc.length > KEEP_BUFFER_BYTES) acc = null;
  }

  function emit(bytes: Uint8Array, out: string[]): void {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === CR || bytes[end - 1] === LF)) end--;
    if (end === 0) return;
    if (end > maxBytes) {
      opts.onDrop('line_too_long'); // a line of maxBytes + 1 before its CR
      return;
    }
    const { text, invalid } = decodeLine(end === bytes.length ? bytes : bytes.subarray(0, end));
    if (invalid) opts.onDrop('invalid_utf8');
    if (text.trim() === '') return;
    out.push(text);
  }

  function emitHeld(out: string[]): void {
    if (acc) emit(acc.subarray(0, accLen), out);
    releaseHeld();
  }

  function pushOctet(chunk: Uint8Array, i: number, out: string[]): boolean {
    const len = chunk.length;
    while (i < len) {
      if (phase === 'count') {
        const b = chunk[i]!;
        if (b >= ZERO && b <= NINE && !(digits === 0 && b === ZERO)) {
          count = count * 10 + (b - ZERO);
          if (++digits > MAX_COUNT_DIGITS) return fail();
          i++;
        } else if (b === SP && digits > 0) {
          i++;
          remaining = count;
          if (count > maxBytes) {
            // The length is known: skip exactly the frame, keep the connection in step.
            opts.onDrop('line_too_long');
            phase = 'skip';
          } else {
            phase = 'body';
          }
          count = 0;
          digits = 0;
        } else if (digits === 0 && isSeparator(b)) {
          i++; // stray terminators between frames (some senders add LF after each frame)
        } else {
          return fail();
        }
      } else {
        const take = Math.min(remaining, len - i);
        if (phase === 'body') {
          if (accLen === 0 && take === remaining) emit(chunk.subarray(i, i + take), out);
          else append(chunk, i, i + take);
        }
        remaining -= take;
        i += take;
        if (remaining === 0) {
          if (phase === 'body' && accLen > 0) emitHeld(out);
          phase = 'count';
        }
      }
    }
    return true;
  }

  function pushLf(chunk: Uint8Array, i: number, out: string[]): void {
    const len = chunk.length;
    const limit = maxBytes + 1; // room for the CR of a CRLF terminator
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let nextNul = buf.indexOf(NUL, i);
    while (i < len) {
      if (nextNul !== -1 && nextNul < i) nextNul = buf.indexOf(NUL, i);
      const nextLf = buf.indexOf(LF, i);
      const d = nextLf === -1 ? nextNul : nextNul === -1 ? nextLf : Math.min(nextLf, nextNul);
      if (discarding) {
        if (d === -1) return;
        discarding = false;
        i = d + 1;
        continue;
      }
      if (d === -1) {
        if (accLen + (len - i) > limit) {
          opts.onDrop('line_too_long');
          releaseHeld();
          discarding = true;
        } else {
          append(chunk, i, len);
        }
        return;
      }
      if (accLen + (d - i) > limit) {
        opts.onDrop('line_too_long');
        releaseHeld();
      } else if (accLen === 0) {
        emit(chunk.subarray(i, d), out);
      } else {
        append(chunk, i, d);
        emitHeld(out);
      }
      i = d + 1;
    }
  }

  function fail(): false {
    failed = true;
    opts.onDrop('bad_frame');
    releaseHeld();
    return false;
  }

  return {
    push(chunk, out) {
      if (failed) return false;
      let i = 0;
      if (mode === 'auto') {
        while (i < chunk.length && isSeparator(chunk[i]!)) i++;
        if (i === chunk.length) return true;
        const b = chunk[i]!;
        mode = b >= ZERO && b <= NINE ? 'octet' : 'lf';
      }
      if (mode === 'octet') return pushOctet(chunk, i, out);
      pushLf(chunk, i, out);
      return true;
    },
    end(out) {
      if (failed) return;
      if (mode === 'octet') {
        if (phase === 'body' || digits > 0) opts.onDrop('bad_frame'); // cut short mid-frame
      } else if (!discarding && accLen > 0) {
        emitHeld(out);
      }
      releaseHeld();
      phase = 'count';
      digits = 0;
      count = 0;
      discarding = false;
    },
    get buffered() {
      return accLen;
    },
    get mode() {
      return mode;
    },
  };
}

/** One UDP datagram: one message, or several when the sender put LF between them. */
export function splitDatagram(datagram: Uint8Array, maxBytes: number, onDrop: (reason: FrameDrop) => void, out: string[]): void {
  const framer = createFramer({ maxBytes, mode: 'lf', onDrop });
  framer.push(datagram, out);
  framer.end(out);
}
