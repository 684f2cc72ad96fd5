/**
 * Rewrite top-level members of a JSON object without re-serialising the rest: the passthrough
 * path patches `model` (and a few accounting fields) in the client's body and forwards every
 * other byte as the client sent it. The input must already be known to be a valid JSON object
 * (it was parsed once before).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Index just past the string starting at `start` (which holds the opening quote). */
function skipString(source: Buffer, start: number): number {
  let index = start + 1;
  for (;;) {
    const next = source.indexOf(QUOTE, index);
    if (next === -1) return source.length;
    // Count the backslashes before the quote: an odd number escapes it.
    let backslashes = 0;
    for (let back = next - 1; back > start && source[back] === BACKSLASH; back--) backslashes++;
    if (backslashes % 2 === 0) return next + 1;
    index = next + 1;
  }
}

/** Index just past the value starting at `start`. */
function skipValue(source: Buffer, start: number): number {
  const first = source[start];
  if (first === QUOTE) return skipString(source, start);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    let index = start;
    while (index < source.length) {
      const byte = source[index]!;
      if (byte === QUOTE) {
        index = skipString(source, index);
        continue;
      }
      if (byte === 0x7b || byte === 0x5b) depth++;
      else if (byte === 0x7d || byte === 0x5d) {
        depth--;
        if (depth === 0) return index + 1;
      }
      index++;
    }
    return index;
  }
  let index = start;
  while (index < source.length) {
    const byte = source[index]!;
    if (byte === 0x2c || byte === 0x7d || isSpace(byte)) break;
    index++;
  }
  return index;
}

interface Member {
  key: string;
  start: number;
  valueStart: number;
  end: number;
}

function members(source: Buffer): { list: Member[]; open: number; close: number } | undefined {
  let index = 0;
  while (isSpace(source[index])) index++;
  if (source[index] !== 0x7b) return undefined;
  const open = index;
  index++;
  const list: Member[] = [];
  for (;;) {
    while (isSpace(source[index]) || source[index] === 0x2c) index++;
    if (index >= source.length) return undefined;
    if (source[index] === 0x7d) return { list, open, close: index };
    if (source[index] !== QUOTE) return undefined;
    const keyStart = index;
    const keyEnd = skipString(source, keyStart);
    const rawKey = source.toString('utf8', keyStart + 1, keyEnd - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(`"${rawKey}"`) as string) : rawKey;
    index = keyEnd;
    while (isSpace(source[index])) index++;
    if (source[index] !== 0x3a) return undefined;
    index++;
    while (isSpace(source[index])) index++;
    const valueEnd = skipValue(source, index);
    list.push({ key, start: keyStart, valueStart: index, end: valueEnd });
    index = valueEnd;
  }
}

/**
 * Set (to the given JSON text) or remove top-level members. Members not named keep their exact
 * bytes; set members that do not exist yet are appended. Returns the source itself when nothing
 * changes, or undefined if the source is not a JSON object.
 */
export function patchJsonMembers(
  source: Buffer,
  set: Readonly<Record<string, string>>,
  remove: readonly string[] = [],
): Buffer | undefined {
  const parsed = members(source);
  if (parsed === undefined) return undefined;
  const pending = new Set(Object.keys(set));
  let changed = false;
  const parts: Buffer[] = [];
  for (const member of parsed.list) {
    if (remove.includes(member.key)) {
      changed = true;
      continue;
    }
    if (pending.has(member.key)) {
      pending.delete(member.key);
      if (source.toString('utf8', member.valueStart, member.end) === set[member.key]) {
        parts.push(source.subarray(member.start, member.end));
      } else {
        changed = true;
        parts.push(Buffer.from(`${JSON.stringify(member.key)}:${set[member.key]}`));
      }
      continue;
    }
    parts.push(source.subarray(member.start, member.end));
  }
  for (const key of pending) {
    changed = true;
    parts.push(Buffer.from(`${JSON.stringify(key)}:${set[key]}`));
  }
  if (!changed) return source;
  const comma = Buffer.from(',');
  const joined: Buffer[] = [Buffer.from('{')];
  parts.forEach((part, index) => {
    if (index > 0) joined.push(comma);
    joined.push(part);
  });
  joined.push(Buffer.from('}'));
  return Buffer.concat(joined);
}
