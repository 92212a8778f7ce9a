/** The browser bundles are built from the typed sources, served as built, and stay small (no zod, no server code). */
import { describe, expect, it } from 'vitest';
import { buildClientBundles, CLIENT_ENTRIES } from '../../infra/bundling/client-assets.ts';
import { CLIENT_BUNDLES } from '../../shared/http/pages/assets/client-bundles.generated.ts';
import { ASSETS } from '../../shared/http/pages/assets/index.ts';

/** Far above today's 26-36 KB; a bundle that pulls zod (460 KB) or an adapter in breaks it. */
const MAX_BUNDLE_BYTES = 80 * 1024;

describe('the browser bundles', () => {
  it('are what the sources build today (the generated module is not stale)', async () => {
    const { scripts } = await buildClientBundles();
    expect(Object.keys(scripts).sort()).toEqual(Object.keys(CLIENT_ENTRIES).sort());
    for (const [name, code] of Object.entries(scripts)) expect(CLIENT_BUNDLES[name], name).toBe(code);
  }, 60_000);

  it('are served as the page scripts', () => {
    for (const name of Object.keys(CLIENT_ENTRIES)) expect(ASSETS.get(name)?.body).toBe(CLIENT_BUNDLES[name]);
    expect(ASSETS.has('common.js')).toBe(false);
  });

  it('read only the client folder and the pure domain, and stay small', async () => {
    const { scripts, contributing } = await buildClientBundles();
    const outside = contributing.filter((f) => !f.startsWith('shared/http/pages/client/') && !f.startsWith('shared/domain/'));
    expect(outside).toEqual([]);
    for (const [name, code] of Object.entries(scripts)) expect(code.length, name).toBeLessThan(MAX_BUNDLE_BYTES);
  }, 60_000);
});
