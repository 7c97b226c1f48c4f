import { describe, expect, it } from 'vitest';
import { timeSlices } from '#functions/render/render-slice.ts';

describe('timeSlices (the local rebuild renders between its writes)', () => {
  it('lets queued callbacks run once the budget is spent', async () => {
    const pause = timeSlices(0);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await pause();
    expect(ran).toBe(true);
  });

  it('does not yield while within the budget', async () => {
    const pause = timeSlices(60_000);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await pause();
    expect(ran).toBe(false);
  });
});
