import type { ProviderOptions, Warning } from '../../core/index.js';

/**
 * Report every provider option meant for another dialect family: such options cannot be
 * honoured here and must not vanish silently.
 */
export function warnForeignProviderOptions(
  options: ProviderOptions | undefined,
  ownFamilies: readonly string[],
  providerName: string,
  warnings: Warning[],
): void {
  if (options === undefined) return;
  for (const family in options) {
    if (ownFamilies.includes(family)) continue;
    for (const key in options[family]) {
      warnings.push({
        code: 'unsupported-parameter',
        param: key,
        message: `"${key}" (${family}) is not supported by ${providerName} and was not sent`,
      });
    }
  }
}
