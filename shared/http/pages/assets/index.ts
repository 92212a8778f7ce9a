/** The static files the pages load, kept as modules so every bundle (local, Lambda) carries them. */
import { APP_CSS } from './app-css.ts';
import { COMMON_JS } from './common-js.ts';
import { PORTAL_JS } from './portal-js.ts';
import { STAFF_JS } from './staff-js.ts';

/** A Map, not an object literal: a file name such as `__proto__` or `constructor` must not find anything. */
export const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['app.css', { type: 'text/css; charset=utf-8', body: APP_CSS }],
  ['common.js', { type: 'text/javascript; charset=utf-8', body: COMMON_JS }],
  ['staff.js', { type: 'text/javascript; charset=utf-8', body: STAFF_JS }],
  ['portal.js', { type: 'text/javascript; charset=utf-8', body: PORTAL_JS }],
]);
