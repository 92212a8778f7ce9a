/** Entry of the portal bundle (`/assets/portal.js`): runs the page the shell names in `data-page`. */
import { openPage, portalPage } from './portal-page.ts';

const page = document.body.getAttribute('data-page');
if (page === 'portal-open') openPage();
if (page === 'portal') portalPage();
