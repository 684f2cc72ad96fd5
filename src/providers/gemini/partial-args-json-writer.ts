import type { GeminiPartialArg } from './gemini-wire.js';

type Segment = string | number;

interface OpenContainer {
  segment: Segment;
  array: boolean;
  /** Keys (or indexes) already written in this container. */
  written: Set<Segment>;
}

/** "$.recipe.items[0].name" or "$['odd.key']" → ["recipe", "items", 0, "name"] / ["odd.key"]. */
export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (match === null) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  return segments;
}

/** The fragment's typed value, or undefined when it carries none. */
function leafValue(arg: GeminiPartialArg): { value: unknown } | undefined {
  if (typeof arg.stringValue === 'string') return { value: arg.stringValue };
  if (typeof arg.numberValue === 'number') return { value: arg.numberValue };
  if (typeof arg.boolValue === 'boolean') return { value: arg.boolValue };
  if ('nullValue' in arg) return { value: null };
  return undefined;
}

/**
 * Turns Vertex AI `partialArgs` fragments (streamFunctionCallArguments: a JSON path and a
 * typed value, strings continued over several fragments while `willContinue`) into JSON text
 * deltas whose concatenation is the arguments object, so clients see arguments stream as they
 * do from OpenAI. Paths arrive in document order; the writer keeps the stack of open
 * containers and emits only the bytes that became certain. A fragment that would reopen a
 * closed container (out of order) stops the deltas; `finish()` then still returns the
 * complete arguments assembled from every fragment.
 */
export class PartialArgsJsonWriter {
  private readonly value: Record<string, unknown> = {};
  private text = '';
  private readonly stack: OpenContainer[] = [];
  private openString: string | undefined;
  private inOrder = true;

  /** Apply fragments; returns the new JSON text (may be ''). */
  push(fragments: readonly GeminiPartialArg[]): string {
    let delta = '';
    for (const fragment of fragments) delta += this.apply(fragment);
    this.text += delta;
    return delta;
  }

  /** Close everything: the remaining delta and the complete arguments text. */
  finish(): { delta: string; json: string } {
    if (!this.inOrder) return { delta: '', json: JSON.stringify(this.value) };
    if (this.text === '') return { delta: '{}', json: '{}' };
    let delta = this.openString === undefined ? '' : '"';
    this.openString = undefined;
    while (this.stack.length > 0) delta += this.stack.pop()!.array ? ']' : '}';
    this.text += delta;
    return { delta, json: this.text };
  }

  private apply(fragment: GeminiPartialArg): string {
    const segments = typeof fragment.jsonPath === 'string' ? parseJsonPath(fragment.jsonPath) : undefined;
    const leaf = leafValue(fragment);
    if (segments === undefined || segments.length === 0 || leaf === undefined) return '';
    const json = JSON.stringify(leaf.value);
    const key = fragment.jsonPath!;
    const continues = fragment.willContinue === true && typeof fragment.stringValue === 'string';
    const existing = this.read(segments);
    if (typeof fragment.stringValue === 'string' && typeof existing === 'string') {
      this.write(segments, existing + fragment.stringValue);
      if (!this.inOrder || this.openString !== key) {
        this.inOrder = false;
        return '';
      }
      let out = JSON.stringify(fragment.stringValue).slice(1, -1);
      if (!continues) {
        out += '"';
        this.openString = undefined;
      }
      return out;
    }
    this.write(segments, leaf.value);
    if (!this.inOrder) return '';
    let out = '';
    if (this.openString !== undefined) {
      out += '"';
      this.openString = undefined;
    }
    if (this.stack.length === 0) {
      this.stack.push({ segment: '$', array: false, written: new Set() });
      out += '{';
    }
    const containers = segments.slice(0, -1);
    let common = 0;
    while (common < containers.length && common + 1 < this.stack.length && this.stack[common + 1]!.segment === containers[common]) common++;
    while (this.stack.length > common + 1) out += this.stack.pop()!.array ? ']' : '}';
    for (let depth = common; depth < containers.length; depth++) {
      const opened = this.member(containers[depth]!, typeof (segments[depth + 1]) === 'number');
      if (opened === undefined) return this.abandon();
      out += opened;
    }
    const member = this.member(segments.at(-1)!, undefined);
    if (member === undefined) return this.abandon();
    out += member + (continues ? json.slice(0, -1) : json);
    if (continues) this.openString = key;
    return out;
  }

  /** Separator and key for a new member of the innermost container; opens a child when `array` is given. */
  private member(segment: Segment, array: boolean | undefined): string | undefined {
    const parent = this.stack.at(-1)!;
    if (parent.written.has(segment) || parent.array !== (typeof segment === 'number')) return undefined;
    if (parent.array && segment !== parent.written.size) return undefined;
    let out = parent.written.size > 0 ? ',' : '';
    parent.written.add(segment);
    if (typeof segment === 'string') out += `${JSON.stringify(segment)}:`;
    if (array !== undefined) {
      this.stack.push({ segment, array, written: new Set() });
      out += array ? '[' : '{';
    }
    return out;
  }

  private abandon(): string {
    this.inOrder = false;
    return '';
  }

  private read(segments: Segment[]): unknown {
    let current: unknown = this.value;
    for (const segment of segments) {
      if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<Segment, unknown>)[segment];
    }
    return current;
  }

  private write(segments: Segment[], leaf: unknown): void {
    let current = this.value as Record<Segment, unknown>;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        Object.defineProperty(current, segment, { value: leaf, enumerable: true, writable: true, configurable: true });
        return;
      }
      let next = Object.hasOwn(current, segment) ? current[segment] : undefined;
      if (typeof next !== 'object' || next === null) {
        next = typeof segments[index + 1] === 'number' ? [] : {};
        Object.defineProperty(current, segment, { value: next, enumerable: true, writable: true, configurable: true });
      }
      current = next as Record<Segment, unknown>;
    });
  }
}
