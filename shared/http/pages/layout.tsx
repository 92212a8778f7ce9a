/** The page frame every screen shares: head, skip link, header with navigation, and the main landmark. */
import type { Child } from 'hono/jsx';

export type PageArea = 'staff' | 'portal' | 'public';

export interface LayoutProps {
  title: string;
  /** Which client module runs on this page (body data-page). */
  page: string;
  area: PageArea;
  localMode: boolean;
  children?: Child;
}

const STAFF_NAV = [
  { href: '/vendors', label: 'Vendors', page: 'vendors' },
  { href: '/review', label: 'Review queue', page: 'review' },
  { href: '/dashboard', label: 'Dashboard', page: 'dashboard' },
  { href: '/fourth-parties', label: 'Fourth parties', page: 'fourth-parties' },
  { href: '/outbox', label: 'Outbox', page: 'outbox', localOnly: true },
];

export function Layout(props: LayoutProps) {
  const scripts = props.area === 'portal' ? ['/assets/portal.js'] : ['/assets/staff.js'];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · trustgate`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        {scripts.map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body data-page={props.page} data-area={props.area} data-mode={props.localMode ? 'local' : 'aws'}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href={props.area === 'portal' ? '/portal' : '/'}>
            trustgate
          </a>
          {props.area === 'staff' && (
            <nav aria-label="Main">
              <ul>
                {STAFF_NAV.filter((item) => props.localMode || !item.localOnly).map((item) => (
                  <li>
                    <a href={item.href} aria-current={props.page === item.page ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {props.area === 'staff' && (
            <div class="who">
              <span id="who-name"></span>
              <button type="button" id="sign-out" class="link">
                Sign out
              </button>
            </div>
          )}
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          <p id="status" class="status" role="status" aria-live="polite"></p>
          {props.children}
        </main>
      </body>
    </html>
  );
}
