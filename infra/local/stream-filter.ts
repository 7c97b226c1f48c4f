// Lambda event-filter matching for the patterns this project uses: nested objects whose leaves are lists of
// allowed values or `{ exists: boolean }` rules. A record passes when any one pattern matches, as with Lambda's
// FilterCriteria (where a missing parent counts as a missing leaf).

type LeafRule = string | number | boolean | { readonly exists: boolean };
export type FilterPattern = { readonly [key: string]: FilterPattern | readonly LeafRule[] };

const leafMatches = (actual: unknown, rules: readonly LeafRule[]): boolean =>
  rules.some((rule) =>
    typeof rule === 'object' ? (actual !== undefined && actual !== null) === rule.exists : rule === actual,
  );

function matches(value: unknown, pattern: FilterPattern): boolean {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, expected]) =>
    Array.isArray(expected)
      ? leafMatches(record[key], expected as readonly LeafRule[])
      : matches(record[key], expected as FilterPattern),
  );
}

export function passesFilters(record: unknown, patterns: readonly FilterPattern[]): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matches(record, pattern));
}
