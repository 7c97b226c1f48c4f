// The search function's events: what the one-minute rule sends, and the forced build an operator can send with
// `npm run invoke -- search events/search/reindex-force.json`.
import { describe, expect, it } from 'vitest';
import { isReindexCommand, REINDEX_COMMAND } from '#shared/search/reindex.ts';
import { loadEvent } from '../support/events.ts';

describe('search events', () => {
  it('events/search/reindex.json is the command the schedule sends', () => {
    expect(loadEvent('search/reindex.json', isReindexCommand)).toEqual(REINDEX_COMMAND);
  });

  it('events/search/reindex-force.json asks for a build whatever the change mark says', () => {
    expect(loadEvent('search/reindex-force.json', isReindexCommand)).toEqual({
      command: 'reindex',
      force: true,
    });
  });

  it('refuses anything else', () => {
    for (const event of [{}, { command: 'rebuild' }, { command: 'reindex', force: 'yes' }, null, 'reindex'])
      expect(isReindexCommand(event)).toBe(false);
  });
});
