import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { tryParseJson } from '../../json/parse-json.js';
import type { LogRow } from '../../store/logs/log-row.js';

/** Where a read stopped or starts: a segment number and a byte offset in it. */
export interface SpoolPosition {
  segment: number;
  offset: number;
}

/** One line of the spool: an open (write-ahead) entry or a final record. */
export interface SpoolEntry {
  kind: 'open' | 'final';
  segment: number;
  row: LogRow;
}

export interface SpoolOptions {
  segmentBytes: number;
  maxBytes: number;
  fsync: boolean;
}

const SEGMENT = /^segment-(\d{12})\.jsonl$/;
const READ_CHUNK = 256 * 1024;
const SETTLED_ROTATE_BYTES = 1024 * 1024;

function segmentName(segment: number): string {
  return `segment-${String(segment).padStart(12, '0')}.jsonl`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The on-disk write-ahead spool of the request log: append-only JSON-lines segment files.
 * Every record is appended here (one write(2), no fsync by default: it survives the process
 * being killed, since the data is in the kernel's page cache) before it is queued for the
 * store. A segment is deleted once every record it holds is in the store; what is left at start
 * belongs to an earlier process and is replayed.
 *
 * Each segment counts its outstanding entries: an open entry is outstanding until its final
 * record is appended; a final record until the store has it.
 */
export class LogSpool {
  readonly dir: string;
  private readonly options: SpoolOptions;
  private fd = -1;
  private segment = 0;
  private offset = 0;
  private readonly outstanding = new Map<number, number>();
  private readonly sizes = new Map<number, number>();
  private total = 0;
  /** Segments left by an earlier process, oldest first. */
  readonly leftover: number[] = [];
  private readonly lockFile: string;

  constructor(dir: string, options: SpoolOptions) {
    this.dir = dir;
    this.options = options;
    this.lockFile = path.join(dir, 'spool.lock');
  }

  /** Take the folder (one gateway process per spool), note leftover segments, start a new one. */
  open(): void {
    mkdirSync(this.dir, { recursive: true });
    if (existsSync(this.lockFile)) {
      const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new Error(
          `the log spool ${this.dir} is in use by process ${pid}; give each gateway its own data directory`,
        );
      }
    }
    writeFileSync(this.lockFile, `${process.pid}\n`);
    let last = 0;
    for (const name of readdirSync(this.dir).sort()) {
      const match = SEGMENT.exec(name);
      if (match === null) continue;
      const segment = Number(match[1]);
      const size = fstatSize(path.join(this.dir, name));
      if (size === 0) {
        unlinkSync(path.join(this.dir, name));
        continue;
      }
      this.leftover.push(segment);
      this.sizes.set(segment, size);
      this.total += size;
      last = Math.max(last, segment);
    }
    this.startSegment(last + 1);
  }

  private startSegment(segment: number): void {
    this.fd = openSync(path.join(this.dir, segmentName(segment)), 'a');
    this.segment = segment;
    this.offset = 0;
    this.sizes.set(segment, 0);
  }

  private rotate(): void {
    closeSync(this.fd);
    const previous = this.segment;
    this.startSegment(previous + 1);
    this.deleteIfDone(previous);
  }

  /** Bytes on disk. */
  get bytes(): number {
    return this.total;
  }

  get full(): boolean {
    return this.total >= this.options.maxBytes;
  }

  /** The end of what has been written so far. */
  get end(): SpoolPosition {
    return { segment: this.segment, offset: this.offset };
  }

  get currentSegment(): number {
    return this.segment;
  }

  /**
   * Append one entry, given its row as JSON text (the caller serialises it once, for the spool
   * and the store); returns its segment (already counted as outstanding).
   */
  append(kind: 'open' | 'final', rowJson: string): number {
    if (this.offset >= this.options.segmentBytes) this.rotate();
    const line = `{"t":"${kind === 'open' ? 'o' : 'f'}","r":${rowJson}}\n`;
    const bytes = Buffer.byteLength(line);
    writeSync(this.fd, line);
    if (this.options.fsync) fdatasyncSync(this.fd);
    this.offset += bytes;
    this.total += bytes;
    this.sizes.set(this.segment, this.offset);
    this.outstanding.set(this.segment, (this.outstanding.get(this.segment) ?? 0) + 1);
    return this.segment;
  }

  /** Count outstanding entries of a leftover segment (set once by recovery). */
  hold(segment: number, count: number): void {
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 0) + count);
  }

  /** An entry of this segment is no longer needed; the segment goes when none is. */
  release(segment: number): void {
    if (segment < 0) return;
    const left = (this.outstanding.get(segment) ?? 0) - 1;
    if (left > 0) this.outstanding.set(segment, left);
    else {
      this.outstanding.delete(segment);
      // A current segment whose records are all in the store is started afresh once it is
      // big enough to matter, so a quiet gateway does not keep megabytes of settled records.
      if (
        segment === this.segment &&
        this.fd !== -1 &&
        (this.full || this.offset >= Math.min(this.options.segmentBytes, SETTLED_ROTATE_BYTES))
      )
        this.rotate();
      else this.deleteIfDone(segment);
    }
  }

  /** Delete a closed segment with nothing outstanding. */
  deleteIfDone(segment: number): void {
    if (segment === this.segment || (this.outstanding.get(segment) ?? 0) > 0 || !this.sizes.has(segment))
      return;
    try {
      unlinkSync(path.join(this.dir, segmentName(segment)));
    } catch {
      // Already gone.
    }
    this.total -= this.sizes.get(segment) ?? 0;
    this.sizes.delete(segment);
  }

  /** Segments present, oldest first. */
  segments(): number[] {
    return [...this.sizes.keys()].sort((a, b) => a - b);
  }

  /**
   * Read entries from `from` up to `until` (exclusive), at most `maxEntries` accepted ones.
   * Lines that do not parse (a write torn by a crash) are skipped.
   */
  read(
    from: SpoolPosition,
    until: SpoolPosition,
    maxEntries: number,
    accept: (entry: SpoolEntry) => boolean,
  ): { entries: SpoolEntry[]; next: SpoolPosition; done: boolean } {
    const entries: SpoolEntry[] = [];
    let position = { ...from };
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    while (entries.length < maxEntries) {
      if (
        position.segment > until.segment ||
        (position.segment === until.segment && position.offset >= until.offset)
      ) {
        return { entries, next: position, done: true };
      }
      const size = this.sizes.get(position.segment);
      const limit = position.segment === until.segment ? until.offset : (size ?? 0);
      if (size === undefined || position.offset >= limit) {
        const next = this.segments().find((segment) => segment > position.segment);
        if (next === undefined || next > until.segment) return { entries, next: { ...until }, done: true };
        position = { segment: next, offset: 0 };
        continue;
      }
      const fd = openSync(path.join(this.dir, segmentName(position.segment)), 'r');
      try {
        const length = readSync(
          fd,
          buffer,
          0,
          Math.min(READ_CHUNK, limit - position.offset),
          position.offset,
        );
        let start = 0;
        for (;;) {
          const newline = buffer.indexOf(10, start);
          if (newline === -1 || newline >= length) break;
          const line = buffer.toString('utf8', start, newline);
          start = newline + 1;
          const entry = parseEntry(line, position.segment);
          if (entry !== undefined && accept(entry)) {
            entries.push(entry);
            if (entries.length >= maxEntries) break;
          }
        }
        if (start === 0) {
          // A line longer than the read buffer, or a torn line at the end: skip what is left.
          position = {
            segment: position.segment,
            offset: length === 0 ? limit : Math.min(limit, position.offset + length),
          };
          if (length === READ_CHUNK) position = this.skipLongLine(fd, position, limit, entries, accept);
        } else {
          position = { segment: position.segment, offset: position.offset + start };
        }
      } finally {
        closeSync(fd);
      }
    }
    return { entries, next: position, done: false };
  }

  /** Read one line longer than the buffer whole (a record with large content). */
  private skipLongLine(
    fd: number,
    position: SpoolPosition,
    limit: number,
    entries: SpoolEntry[],
    accept: (entry: SpoolEntry) => boolean,
  ): SpoolPosition {
    const start = position.offset - READ_CHUNK;
    const rest = Buffer.allocUnsafe(limit - start);
    const length = readSync(fd, rest, 0, rest.length, start);
    const newline = rest.indexOf(10);
    if (newline === -1 || newline >= length) return { segment: position.segment, offset: limit };
    const entry = parseEntry(rest.toString('utf8', 0, newline), position.segment);
    if (entry !== undefined && accept(entry)) entries.push(entry);
    return { segment: position.segment, offset: start + newline + 1 };
  }

  close(): void {
    if (this.fd !== -1) {
      closeSync(this.fd);
      this.fd = -1;
      const last = this.segment;
      this.segment = -1;
      this.deleteIfDone(last);
    }
    try {
      unlinkSync(this.lockFile);
    } catch {
      // Not ours any more.
    }
  }
}

function fstatSize(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: string, segment: number): SpoolEntry | undefined {
  const parsed = tryParseJson(line) as { t?: unknown; r?: unknown } | undefined;
  if (parsed === undefined || typeof parsed.r !== 'object' || parsed.r === null) return undefined;
  if (typeof (parsed.r as LogRow).logId !== 'string') return undefined;
  return { kind: parsed.t === 'o' ? 'open' : 'final', segment, row: parsed.r as LogRow };
}
