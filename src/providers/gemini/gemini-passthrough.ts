import type { Usage } from '../../core/index.js';
import { isRecord, tryParseJson } from '../../json/parse-json.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';

const USAGE_KEY = '"usageMetadata"';

/** Index just past the JSON object that starts at `start` (string-aware), or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c) index++;
        else if (inner === 0x22) break;
      }
    } else if (char === 0x7b) {
      depth++;
    } else if (char === 0x7d) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/** Usage from a complete generateContent body. */
export function readGeminiBodyUsage(body: unknown): Usage | undefined {
  return isRecord(body) ? convertGeminiUsage(body.usageMetadata) : undefined;
}

/**
 * Usage from one streamGenerateContent event. Gemini repeats usageMetadata on every chunk, so
 * only that object is cut out and parsed, not the whole chunk (the text may be long).
 */
export function readGeminiStreamUsage(data: string): Usage | undefined {
  const at = data.lastIndexOf(USAGE_KEY);
  if (at < 0) return undefined;
  const start = data.indexOf('{', at + USAGE_KEY.length);
  if (start < 0) return undefined;
  const end = objectEnd(data, start);
  return end < 0 ? undefined : convertGeminiUsage(tryParseJson(data.slice(start, end)));
}
