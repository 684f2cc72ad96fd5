/**
 * The provider entry for a start without a config file. AWS_BEARER_TOKEN_BEDROCK (a Bedrock API
 * key) becomes a key; AWS_ACCESS_KEY_ID or AWS_PROFILE turn Bedrock on with the standard AWS
 * credential chain (read at request time, so rotated or temporary credentials keep working).
 * The region comes from AWS_REGION or AWS_DEFAULT_REGION; without one Bedrock is left out (AWS
 * credentials in the environment may be there for something else, and must not stop the start).
 */
export function bedrockEnvironmentEntry(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> | undefined {
  const set = (name: string): boolean => (env[name] ?? '') !== '';
  const bearer = set('AWS_BEARER_TOKEN_BEDROCK');
  if (!bearer && !set('AWS_ACCESS_KEY_ID') && !set('AWS_PROFILE')) return undefined;
  const region = set('AWS_REGION') ? env.AWS_REGION : set('AWS_DEFAULT_REGION') ? env.AWS_DEFAULT_REGION : undefined;
  if (region === undefined) return undefined;
  const entry: Record<string, unknown> = { region };
  if (bearer) entry.keys = [{ name: 'aws-bearer-token-bedrock', value: env.AWS_BEARER_TOKEN_BEDROCK }];
  else if (set('AWS_PROFILE')) entry.keys = [{ name: 'aws-profile', profile: env.AWS_PROFILE }];
  return entry;
}
