/** Weighted random choice; equal chances when every weight is zero. Undefined for an empty list. */
export function weightedChoice<T>(items: readonly T[], weightOf: (item: T) => number, random: () => number): T | undefined {
  if (items.length <= 1) return items[0];
  let total = 0;
  for (const item of items) total += Math.max(0, weightOf(item));
  if (total <= 0) return items[Math.floor(random() * items.length)];
  let pick = random() * total;
  for (const item of items) {
    pick -= Math.max(0, weightOf(item));
    if (pick < 0) return item;
  }
  return items[items.length - 1];
}
