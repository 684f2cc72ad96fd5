import { listProviderDefinitions } from '../providers/registry.js';

/**
 * Without a config file, providers come from the usual environment variables
 * (OPENAI_API_KEY, GROQ_API_KEY, ...), as declared by each provider definition.
 * Returns raw provider entries in config-file shape, validated like a file would be.
 */
export function providersFromEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const definition of listProviderDefinitions()) {
    const declared = definition.env;
    if (declared === undefined) continue;
    if (declared.fromEnvironment !== undefined) {
      const entry = declared.fromEnvironment(env);
      if (entry !== undefined) providers[definition.type] = entry;
      continue;
    }
    const keyVar = declared.apiKey?.find((name) => (env[name] ?? '') !== '');
    const baseUrlVar = declared.baseUrl?.find((name) => (env[name] ?? '') !== '');
    if (keyVar === undefined && !(declared.keyless && baseUrlVar !== undefined)) continue;
    // A provider with no default endpoint (Azure) needs its endpoint variable as well as a key.
    if (definition.defaultBaseUrl === undefined && baseUrlVar === undefined) continue;
    const entry: Record<string, unknown> = {};
    if (baseUrlVar !== undefined) entry.baseUrl = normaliseBaseUrl(env[baseUrlVar]!);
    if (keyVar !== undefined) entry.keys = [{ name: keyVar.toLowerCase().replace(/_/g, '-'), value: env[keyVar] }];
    for (const [field, names] of Object.entries(declared.options ?? {})) {
      const name = names.find((candidate) => (env[candidate] ?? '') !== '');
      if (name !== undefined) entry[field] = env[name];
    }
    providers[definition.type] = entry;
  }
  return providers;
}

/** OLLAMA_HOST style values may lack a scheme. */
function normaliseBaseUrl(value: string): string {
  return /^https?:\/\//.test(value) ? value : `http://${value}`;
}
