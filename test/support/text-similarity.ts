// How much of a text survived a conversion: for the migration's body-fidelity check.
import { decodeEntities } from '../../shared/migration/html-to-markdown.ts';

/** Text as a reader compares it: entities decoded, NFC, no whitespace (Chinese text has none between words). */
export const comparable = (text: string): string => decodeEntities(text).normalize('NFC').replace(/\s+/g, '');

/** 2·LCS / (|a| + |b|): 1 for the same text, lower for every character lost, added or moved. */
export function similarity(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0);
    }
    [previous, current] = [current, previous];
  }
  return (2 * (previous[b.length] ?? 0)) / (a.length + b.length);
}
