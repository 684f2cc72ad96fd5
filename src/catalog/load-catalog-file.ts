import { readFileSync } from 'node:fs';
import { tryParseJson } from '../json/parse-json.js';
import { catalogFileSchema } from './catalog-file-schema.js';
import type { ModelInfo } from './model-info.js';

export interface CatalogIssue {
  file: string;
  /** Path inside the file, e.g. "models[3].pricing.input". */
  path: string;
  message: string;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? String(segment) : `.${String(segment)}`;
  return out === '' ? '(root)' : out;
}

/** Read and validate one catalog file. Every problem is reported with the file and the path. */
export function loadCatalogFile(file: string): { models?: ModelInfo[]; issues: CatalogIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { issues: [{ file, path: '(file)', message: `cannot read: ${(error as Error).message}` }] };
  }
  const parsed = tryParseJson(text);
  if (parsed === undefined) return { issues: [{ file, path: '(file)', message: 'not valid JSON' }] };
  const result = catalogFileSchema.safeParse(parsed);
  if (!result.success) {
    return { issues: result.error.issues.map((issue) => ({ file, path: formatPath(issue.path), message: issue.message })) };
  }
  return { models: result.data.models as ModelInfo[], issues: [] };
}

/** A catalog file that failed validation (for code paths that load without config validation). */
export class CatalogError extends Error {
  readonly issues: CatalogIssue[];
  constructor(issues: CatalogIssue[]) {
    super(`Invalid model catalog:\n${issues.map((issue) => `  - ${issue.file}: ${issue.path}: ${issue.message}`).join('\n')}`);
    this.name = 'CatalogError';
    this.issues = issues;
  }
}
