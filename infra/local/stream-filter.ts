// Lambda event-filter matching for the patterns this project uses: nested objects whose leaves are lists of
// allowed values. A record passes when any one pattern matches, as with Lambda's FilterCriteria.

export type FilterPattern = {
  readonly [key: string]: FilterPattern | readonly (string | number | boolean)[];
};

function matches(value: unknown, pattern: FilterPattern): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = record[key];
    if (Array.isArray(expected)) return expected.includes(actual as string | number | boolean);
    return matches(actual, expected as FilterPattern);
  });
}

export function passesFilters(record: unknown, patterns: readonly FilterPattern[]): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matches(record, pattern));
}
