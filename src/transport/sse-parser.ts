/**
 * Incremental, byte-level parser for text/event-stream (the WHATWG server-sent events format).
 *
 * - Accepts chunks cut at any byte: a line (and so a UTF-8 character) is decoded only once it
 *   is complete, and a CR ending one chunk followed by an LF starting the next is one break.
 * - LF, CRLF and lone CR line endings (Gemini sends CRLF); comment lines (":" keep-alives, as
 *   OpenRouter sends) are skipped; multi-line data is joined with "\n"; a leading BOM is ignored
 *   (and forwarded unchanged in raw mode).
 * - Optionally hands out the raw bytes of each event block, so a passthrough proxy can forward
 *   events unchanged while still reading them.
 *
 * Each byte is examined once. Only the unfinished tail of a chunk (the current line, or the
 * current block when raw bytes are kept) is carried over to the next one.
 */
export interface SseEvent {
  /** The `event:` field, if any. */
  event?: string;
  data: string;
  id?: string;
  retry?: number;
}

/**
 * Called once per event block. `event` is null for a block without data (a comment-only
 * keep-alive, reported only when raw bytes are kept); `raw` is set only when raw bytes are kept.
 */
export type SseListener = (event: SseEvent | null, raw: Buffer | null) => void;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

export class SseParser {
  private readonly listener: SseListener;
  private readonly keepRaw: boolean;
  /** Unconsumed bytes carried from earlier chunks. */
  private carry: Buffer | null = null;
  /** Offset in `carry` where the unfinished line starts (earlier bytes are kept for raw only). */
  private carryLineStart = 0;
  private skipLeadingLf = false;
  private atStart = true;
  private eventType: string | undefined;
  private data: string | undefined;
  private id: string | undefined;
  private retry: number | undefined;
  /** The current block has at least one line (data, field or comment). */
  private blockHasLines = false;

  constructor(listener: SseListener, options: { keepRaw?: boolean } = {}) {
    this.listener = listener;
    this.keepRaw = options.keepRaw ?? false;
  }

  push(chunk: Uint8Array): void {
    let buffer: Buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let scanFrom = 0;
    let lineStart = 0;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (buffer.length > 0 && buffer[0] === LF) {
        if (this.keepRaw) {
          if (this.carry !== null) {
            // The LF belongs to the carried block's bytes.
            this.carry = Buffer.concat([this.carry, buffer.subarray(0, 1)]);
            this.carryLineStart = this.carry.length;
          } else {
            // It completes the CRLF that ended the block already dispatched.
            this.listener(null, buffer.subarray(0, 1));
          }
        }
        buffer = buffer.subarray(1);
      }
    }
    if (this.carry !== null) {
      scanFrom = this.carry.length;
      lineStart = this.carryLineStart;
      buffer = Buffer.concat([this.carry, buffer]);
      this.carry = null;
    }
    this.scan(buffer, scanFrom, lineStart);
  }

  /** Flush an event left without its terminating blank line when the stream ends. */
  end(): void {
    const carry = this.carry;
    this.carry = null;
    if (carry !== null && this.carryLineStart < carry.length) {
      this.processLine(carry, this.carryLineStart, carry.length);
    }
    if (this.data !== undefined || this.blockHasLines) {
      this.dispatch(this.keepRaw && carry !== null ? carry : null);
    }
  }

  private scan(buffer: Buffer, from: number, lineStart: number): void {
    const length = buffer.length;
    let blockStart = 0;
    for (let index = from; index < length; index++) {
      const byte = buffer[index];
      if (byte !== LF && byte !== CR) continue;
      let next = index + 1;
      if (byte === CR) {
        if (next < length) {
          if (buffer[next] === LF) next++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      if (index === lineStart) {
        this.atStart = false;
        this.dispatch(this.keepRaw ? buffer.subarray(blockStart, next) : null);
        blockStart = next;
      } else {
        this.processLine(buffer, lineStart, index);
      }
      lineStart = next;
      index = next - 1;
    }
    if (this.keepRaw) {
      if (blockStart < length) {
        this.carry = buffer.subarray(blockStart);
        this.carryLineStart = lineStart - blockStart;
      }
    } else if (lineStart < length) {
      this.carry = buffer.subarray(lineStart);
      this.carryLineStart = 0;
    }
  }

  private processLine(buffer: Buffer, start: number, end: number): void {
    this.blockHasLines = true;
    if (this.atStart) {
      // A byte-order mark may open the stream; the line is complete here even if the BOM was split.
      this.atStart = false;
      if (end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    }
    if (buffer[start] === COLON) return; // comment
    let colon = start;
    while (colon < end && buffer[colon] !== COLON) colon++;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && buffer[valueStart] === SPACE) valueStart++;
    const fieldLength = colon - start;
    if (
      fieldLength === 4 &&
      buffer[start] === 0x64 && // d
      buffer[start + 1] === 0x61 && // a
      buffer[start + 2] === 0x74 && // t
      buffer[start + 3] === 0x61 // a
    ) {
      const value = buffer.toString('utf8', valueStart, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      return;
    }
    const field = buffer.toString('latin1', start, colon);
    if (field === 'event') {
      this.eventType = buffer.toString('utf8', valueStart, end);
    } else if (field === 'id') {
      const value = buffer.toString('utf8', valueStart, end);
      if (!value.includes('\0')) this.id = value;
    } else if (field === 'retry') {
      const value = Number(buffer.toString('latin1', valueStart, end));
      if (Number.isInteger(value) && value >= 0) this.retry = value;
    }
  }

  private dispatch(raw: Buffer | null): void {
    const hadLines = this.blockHasLines;
    let event: SseEvent | null = null;
    if (this.data !== undefined) {
      event = { data: this.data };
      if (this.eventType !== undefined) event.event = this.eventType;
      if (this.id !== undefined) event.id = this.id;
      if (this.retry !== undefined) event.retry = this.retry;
    }
    this.data = undefined;
    this.eventType = undefined;
    this.retry = undefined;
    this.blockHasLines = false;
    if (event !== null) this.listener(event, raw);
    else if (this.keepRaw && raw !== null && (hadLines || raw.length > 0)) this.listener(null, raw);
  }
}
