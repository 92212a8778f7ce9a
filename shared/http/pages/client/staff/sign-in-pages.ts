/** Staff sign-in: the local demo users, or the Cognito hosted UI with the authorization code flow and PKCE. */
import { request } from '../common/api.ts';
import { byId, h, showStatus } from '../common/dom.ts';
import { problemText } from '../common/format.ts';
import { setToken, staffRoles } from '../common/session.ts';
import { sameSitePath } from './staff-logic.ts';

/** Where each role starts. */
export const HOME: Readonly<Record<string, string>> = { procurement: '/vendors', security: '/review', admin: '/dashboard' };

export function signInPage(): void {
  const hosted = document.getElementById('hosted-sign-in');
  if (hosted) hosted.addEventListener('click', () => void hostedSignIn(hosted));
  document.querySelectorAll<HTMLButtonElement>('[data-sign-in]').forEach((button) => {
    button.addEventListener('click', () => {
      void (async () => {
        clearErrorBeside(button);
        const role = button.getAttribute('data-sign-in') ?? '';
        button.disabled = true;
        const res = await request<{ token: string; role: string }>('staff', 'POST', '/auth/local/sign-in', { role });
        button.disabled = false;
        if (!res.ok) return showErrorBeside(button, problemText(res.problem));
        setToken('staff', res.data.token);
        const next = new URLSearchParams(location.search).get('next');
        location.assign(sameSitePath(next, location.origin) ?? HOME[role] ?? '/vendors');
      })();
    });
  });
}

/** A sign-in failure where the person looks: under the button pressed (and in the status line for screen readers). */
function showErrorBeside(button: HTMLButtonElement, message: string): void {
  showStatus(message, true);
  const id = `${button.getAttribute('data-sign-in') ?? 'sign-in'}-error`;
  button.insertAdjacentElement('afterend', h('p', { class: 'field-error', id, text: message }));
  button.setAttribute('aria-describedby', id);
  button.focus();
}

function clearErrorBeside(button: HTMLButtonElement): void {
  const id = button.getAttribute('aria-describedby');
  if (id) document.getElementById(id)?.remove();
  button.removeAttribute('aria-describedby');
}

/** Base64url without padding, as PKCE wants it. */
export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function hostedSignIn(button: HTMLElement): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const stateValue = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem('trustgate.pkce', JSON.stringify({ verifier, state: stateValue, next: new URLSearchParams(location.search).get('next') ?? '' }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: button.getAttribute('data-client-id') ?? '',
    redirect_uri: `${location.origin}/auth/callback`,
    scope: 'openid email profile',
    state: stateValue,
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
  });
  location.assign(`${button.getAttribute('data-domain') ?? ''}/oauth2/authorize?${params.toString()}`);
}

interface SavedPkce {
  verifier: string;
  state: string;
  next: string;
}

export function authCallbackPage(): void {
  void (async () => {
    const el = byId('callback');
    const query = new URLSearchParams(location.search);
    let saved: SavedPkce | null;
    try {
      saved = JSON.parse(sessionStorage.getItem('trustgate.pkce') ?? 'null') as SavedPkce | null;
    } catch {
      saved = null;
    }
    sessionStorage.removeItem('trustgate.pkce');
    history.replaceState(null, '', location.pathname);
    const code = query.get('code');
    if (!saved || !code || query.get('state') !== saved.state) return showStatus('The sign-in could not be completed; start again from the sign-in page.', true);
    const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: el.getAttribute('data-client-id') ?? '', code, redirect_uri: `${location.origin}/auth/callback`, code_verifier: saved.verifier });
    let tokens: { id_token?: string } | null;
    try {
      const res = await fetch(`${el.getAttribute('data-domain') ?? ''}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(), credentials: 'omit' });
      tokens = res.ok ? ((await res.json()) as { id_token?: string }) : null;
    } catch {
      return showStatus('The sign-in service could not be reached; check the connection and try again.', true);
    }
    if (!tokens?.id_token) return showStatus('The sign-in was refused; start again from the sign-in page.', true);
    setToken('staff', tokens.id_token);
    location.assign(sameSitePath(saved.next, location.origin) ?? HOME[staffRoles()[0] ?? ''] ?? '/vendors');
  })();
}
