// The sample events under events/ are what `npm run invoke` and the handler tests replay. Every API route has at
// least one, filed under the function that serves it, and each one is an event that route really receives.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchRoute, routeKey, routes } from '#shared/routes.ts';
import { isApiEvent } from '../support/events.ts';

const root = path.resolve(import.meta.dirname, '../../events');

const samples = readdirSync(root).flatMap((fn) =>
  readdirSync(path.join(root, fn))
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      fn,
      file,
      event: JSON.parse(readFileSync(path.join(root, fn, file), 'utf8')) as unknown,
    })),
);
const apiSamples = samples.flatMap((s) => (isApiEvent(s.event) ? [{ ...s, event: s.event }] : []));

describe('sample events', () => {
  it.each(routes.map((route) => [routeKey(route), route.fn] as const))(
    '%s has a sample in events/%s/',
    (key, fn) => {
      expect(
        apiSamples.filter((s) => s.fn === fn && s.event.routeKey === key).map((s) => s.file),
      ).not.toEqual([]);
    },
  );

  it.each(apiSamples.map((s) => [`${s.fn}/${s.file}`, s] as const))(
    '%s is what its route receives',
    (_, sample) => {
      const { event } = sample;
      expect(event.requestContext.routeKey).toBe(event.routeKey);
      expect(event.requestContext.http.path).toBe(event.rawPath);
      // The method comes from the route key: views/head-request.json is a HEAD that reached the POST route on purpose.
      const matched = matchRoute(event.routeKey.split(' ')[0] ?? '', event.rawPath);
      expect(matched && routeKey(matched.route)).toBe(event.routeKey);
      expect(matched?.route.fn).toBe(sample.fn);
      expect(event.pathParameters ?? {}).toEqual(matched?.pathParameters);
    },
  );
});
