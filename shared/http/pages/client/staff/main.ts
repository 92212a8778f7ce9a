/** Entry of the staff bundle (`/assets/staff.js`): signs the person in when needed, then runs the page the shell names. */
import { fill } from '../common/dom.ts';
import { setToken, signInAgain, staffClaims, staffRoles } from '../common/session.ts';
import { assessmentPage } from './assessment-page.ts';
import { dashboardPage, outboxPage, reviewPage, vendorNewPage, vendorPage, vendorsPage } from './portfolio-pages.ts';
import { authCallbackPage, signInPage } from './sign-in-pages.ts';
import { fourthPartiesPage, fourthPartyPage } from './fourth-parties-page.ts';

const PAGES: Readonly<Record<string, () => void>> = {
  'sign-in': signInPage,
  'auth-callback': authCallbackPage,
  vendors: vendorsPage,
  'vendor-new': vendorNewPage,
  vendor: vendorPage,
  assessment: assessmentPage,
  review: reviewPage,
  dashboard: dashboardPage,
  'fourth-parties': fourthPartiesPage,
  'fourth-party': fourthPartyPage,
  outbox: outboxPage,
};

function start(): void {
  const page = document.body.getAttribute('data-page') ?? '';
  if (page !== 'sign-in' && page !== 'auth-callback') {
    const claims = staffClaims();
    if (!claims) return signInAgain();
    fill('who-name', `${claims.email ?? claims.sub} (${staffRoles().join(', ')})`);
    document.getElementById('sign-out')?.addEventListener('click', () => {
      setToken('staff', null);
      location.assign('/sign-in');
    });
  }
  if (Object.hasOwn(PAGES, page)) PAGES[page]!();
}

start();
