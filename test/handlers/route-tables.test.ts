// Each API function's route table holds exactly its routes in shared/routes.ts: the compiler checks the keys
// (RouteTable), and this checks the same at run time, so a route added to one place and not the other fails here.
import { describe, expect, it } from 'vitest';
import { deskRoutes, publicRoutes } from '#functions/review/handler.ts';
import { submitRoutes } from '#functions/submit/handler.ts';
import { uploadsRoutes } from '#functions/uploads/handler.ts';
import { viewsRoutes } from '#functions/views/handler.ts';
import {
  type FunctionName,
  type Route,
  routedFunctions,
  routeKey,
  routeKeysOf,
  routes,
} from '#shared/routes.ts';

const tables: Record<FunctionName, readonly object[]> = {
  submit: [submitRoutes],
  review: [publicRoutes, deskRoutes],
  views: [viewsRoutes],
  uploads: [uploadsRoutes],
};

const keysOf = (fn: FunctionName): string[] => tables[fn].flatMap((table) => Object.keys(table)).sort();

describe('route tables', () => {
  it('cover every function that has routes', () => {
    expect(Object.keys(tables).sort()).toEqual(routedFunctions().sort());
  });

  it.each(routedFunctions())('%s handles exactly its declared routes', (fn) => {
    expect(keysOf(fn)).toEqual(routeKeysOf(fn).sort());
  });

  it("puts review's public routes in the table that asks for no editor, and only those", () => {
    const publicKeys = routes.filter((r: Route) => r.fn === 'review' && r.access === 'public').map(routeKey);
    expect(Object.keys(publicRoutes).sort()).toEqual(publicKeys.sort());
  });
});
