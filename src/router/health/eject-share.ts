/**
 * Which of `items` to route around: the ejected ones, but never more than `share` of all items.
 * When more are ejected, the ones that will be readmitted soonest are used anyway (a panic
 * threshold, as in Envoy's outlier detection), so ejection can shift load but never stop it.
 */
export function itemsToAvoid<T>(items: readonly T[], isEjected: (item: T) => boolean, remainingMs: (item: T) => number, share: number): T[] {
  const ejected = items.filter(isEjected);
  const allowed = Math.floor(share * items.length + 1e-9);
  if (ejected.length <= allowed) return ejected;
  if (allowed === 0) return [];
  return ejected.sort((a, b) => remainingMs(b) - remainingMs(a)).slice(0, allowed);
}
