/**
 * After sign-in the page goes to `next` only when the browser would read it as a URL of this site: `/%09/host`
 * (a tab the URL parser drops, leaving `//host`) and its kin stay on the site. Both ways in: the local demo sign-in
 * and the Cognito hosted UI's callback (Cognito itself is played by routes in the browser).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app.ts';
import { launchChromium } from '../support/browser.ts';
import { serveOverNode, type ServedApp } from '../support/node-adapter.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const COGNITO = 'https://trustgate-test.auth.eu-west-1.amazoncognito.com';
const ELSEWHERE = 'evil.example';
/** Each way of writing "another site" that a check of the first characters lets through. */
const OFFSITE_NEXT = ['/%09/evil.example/x', '/%0a/evil.example/x', '/%0d%09/evil.example/x', '/%5C%09evil.example/x', '/\t/evil.example/x'];

let stack: TestStack;
let local: ServedApp;
let hosted: ServedApp;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  local = await serveOverNode(stack.http.app.fetch);
  const { localSignIn: _ignored, ...awsLike } = stack.deps;
  hosted = await serveOverNode(createApp({ ...awsLike, mode: 'aws', outbox: null, hostedSignIn: { domain: COGNITO, clientId: 'web-client-1' } }).app.fetch);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await local?.close();
  await hosted?.close();
  await stack?.dispose();
});

/** A page where every request to another site is answered by a stub, so that leaving the site shows in page.url(). */
async function pageFor(baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  await context.route(`**://${ELSEWHERE}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>elsewhere</p>' }));
  return context.newPage();
}

/** An unsigned ID token: the page reads its claims for display; Cognito's signature is the API's business. */
const idToken = (role: string) => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ sub: 'u-1', 'cognito:groups': [role], exp: Math.floor(Date.now() / 1000) + 3600, token_use: 'id' })}.c2ln`;
};

async function landingAfterLocalSignIn(next: string): Promise<URL> {
  const page = await pageFor(local.url);
  await page.goto(`/sign-in?next=${next.replace(/\t/g, '%09')}`);
  await page.getByRole('button', { name: 'Sign in as procurement' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  const landed = new URL(page.url());
  await page.context().close();
  return landed;
}

async function landingAfterHostedSignIn(next: string): Promise<URL> {
  const page = await pageFor(hosted.url);
  // Cognito: the authorize endpoint sends the browser back with a code, the token endpoint trades it for tokens.
  await page.context().route(`${COGNITO}/oauth2/authorize?*`, (route) => {
    const asked = new URL(route.request().url());
    return route.fulfill({ status: 302, headers: { location: `${asked.searchParams.get('redirect_uri')}?code=c-1&state=${asked.searchParams.get('state')}` } });
  });
  await page.context().route(`${COGNITO}/oauth2/token`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ id_token: idToken('security') }) }),
  );
  await page.goto(`/sign-in?next=${next.replace(/\t/g, '%09')}`);
  await page.getByRole('button', { name: 'Continue to sign-in' }).click();
  await page.waitForURL((url) => url.origin !== new URL(hosted.url).origin || !['/sign-in', '/auth/callback'].includes(url.pathname), { timeout: 15_000 });
  const landed = new URL(page.url());
  await page.context().close();
  return landed;
}

describe('the page after sign-in', () => {
  it.each(OFFSITE_NEXT)('stays on the site after the local sign-in for next=%j', { timeout: 30_000 }, async (next) => {
    const landed = await landingAfterLocalSignIn(next);
    expect(landed.origin).toBe(new URL(local.url).origin);
    expect(landed.pathname).toBe('/vendors');
  });

  it('goes to a path of this site, with its query', { timeout: 30_000 }, async () => {
    const landed = await landingAfterLocalSignIn(encodeURIComponent('/review?x=1'));
    expect(`${landed.origin}${landed.pathname}${landed.search}`).toBe(`${new URL(local.url).origin}/review?x=1`);
  });

  it.each(OFFSITE_NEXT.slice(0, 2))('stays on the site after the Cognito callback for next=%j', { timeout: 30_000 }, async (next) => {
    const landed = await landingAfterHostedSignIn(next);
    expect(landed.origin).toBe(new URL(hosted.url).origin);
    expect(landed.pathname).toBe('/review');
  });
});
