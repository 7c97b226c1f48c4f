import { afterEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/submit/handler.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';
import { articleItems, resetTables } from '../support/tables.ts';

afterEach(resetTables);

describe('POST /api/submissions with photos', () => {
  it('stores the photo keys and captions, in order, on the pending article', async () => {
    const result = await handler(loadApiEvent('submit/with-photos.json'), lambdaContext('submit'));
    expect(result.statusCode).toBe(201);
    const [item] = await articleItems();
    expect(item?.status).toBe('pending');
    expect(item?.images).toEqual([
      {
        key: 'uploads/quarantine/6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
        caption: '社区党员志愿者在小店门口测温扫码',
      },
      { key: 'uploads/quarantine/0b8e2a4c-9d1f-4e6a-b3c5-7f2e8d9a1c4b', caption: '店主为居民配送生活物资' },
      {
        key: 'uploads/quarantine/c4a7e9f2-1b3d-4c5e-8a6f-2d9b7e1c3a5f',
        caption: '夜色中仍在营业的社区便利店',
      },
    ]);
  });
});
