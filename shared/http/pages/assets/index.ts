/**
 * The static files the pages load, kept as modules so every bundle (local, Lambda) carries them. The scripts are
 * built from the typed sources in ../client/ (infra/bundling/client-assets.ts, docs/adr/0016-typed-browser-code.md).
 */
import { APP_CSS } from './app-css.ts';
import { CLIENT_BUNDLES } from './client-bundles.generated.ts';

const script = (name: string): string => {
  const body = CLIENT_BUNDLES[name];
  if (body === undefined) throw new Error(`The browser bundle ${name} was not built: run npm run build`);
  return body;
};

/** A Map, not an object literal: a file name such as `__proto__` or `constructor` must not find anything. */
export const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['app.css', { type: 'text/css; charset=utf-8', body: APP_CSS }],
  ['staff.js', { type: 'text/javascript; charset=utf-8', body: script('staff.js') }],
  ['portal.js', { type: 'text/javascript; charset=utf-8', body: script('portal.js') }],
]);
