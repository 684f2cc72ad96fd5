const ENV_REFERENCE = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

export interface ConfigIssue {
  /** Dotted path of the bad key, e.g. "providers.openai.keys[0].value". */
  path: string;
  message: string;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Replace every string of the form "env.NAME" with the value of that environment variable.
 * A variable that is not set is reported as an issue naming it and the key that referenced it.
 */
export function resolveEnvReferences(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: Array<string | number> = [],
): unknown {
  if (typeof value === 'string') {
    const match = ENV_REFERENCE.exec(value);
    if (!match) return value;
    const name = match[1]!;
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return value;
    }
    return resolved;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveEnvReferences(item, env, issues, [...path, index]));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = resolveEnvReferences(item, env, issues, [...path, key]);
    }
    return out;
  }
  return value;
}
