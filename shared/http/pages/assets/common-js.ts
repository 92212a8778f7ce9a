/**
 * Helpers every page script uses: DOM building with textContent only (data is never parsed as HTML), the API
 * client with the bearer token from sessionStorage, problem+json display, and formatting.
 */
export const COMMON_JS = String.raw`
'use strict';
(function () {
  var TG = {};
  var KEYS = { staff: 'trustgate.staffToken', portal: 'trustgate.portalToken' };

  TG.getToken = function (kind) { try { return sessionStorage.getItem(KEYS[kind]); } catch (e) { return null; } };
  TG.setToken = function (kind, value) { if (value) sessionStorage.setItem(KEYS[kind], value); else sessionStorage.removeItem(KEYS[kind]); };

  /** Claims of the staff JWT (for display only: the server checks the signature on every call). */
  TG.claims = function () {
    var token = TG.getToken('staff');
    if (!token) return null;
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var claims = JSON.parse(atob(part));
      if (claims.exp && claims.exp * 1000 < Date.now()) return null;
      return claims;
    } catch (e) { return null; }
  };
  TG.roles = function () { var c = TG.claims(); return (c && c['cognito:groups']) || []; };
  TG.hasRole = function () { var roles = TG.roles(); for (var i = 0; i < arguments.length; i++) if (roles.indexOf(arguments[i]) >= 0) return true; return false; };

  /** h('p', {class: 'x'}, 'text', child): an element; strings become text nodes. */
  TG.h = function (tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key.slice(0, 2) === 'on' && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'text') el.textContent = String(value);
      else if (key === 'checked' || key === 'selected' || key === 'value' || key === 'disabled') el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  };
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  TG.fill = function (target, content) {
    var el = typeof target === 'string' ? document.getElementById(target) : target;
    if (!el) return null;
    el.replaceChildren();
    append(el, content);
    return el;
  };
  TG.$ = function (id) { return document.getElementById(id); };

  TG.status = function (message, isError) {
    var el = TG.$('status');
    if (!el) return;
    el.textContent = message || '';
    el.classList.toggle('error', !!isError);
  };

  /** Calls the JSON API. kind: 'staff' or 'portal' (which token to send). Resolves {status, ok, data}. */
  TG.api = function (kind, method, path, body, extraHeaders) {
    var headers = Object.assign({ accept: 'application/json' }, extraHeaders || {});
    var token = TG.getToken(kind);
    if (token) headers.authorization = 'Bearer ' + token;
    var init = { method: method, headers: headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      if (body instanceof FormData) init.body = body;
      else { headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    }
    return fetch(path, init).then(function (res) {
      var type = res.headers.get('content-type') || '';
      var parse = type.indexOf('json') >= 0 ? res.json() : res.text();
      return parse.then(function (data) {
        if (res.status === 401 && kind === 'staff') TG.signIn();
        return { status: res.status, ok: res.ok, data: data };
      });
    });
  };
  /** GET that treats 404 as "nothing yet" (null) and other failures as errors shown in the status line. */
  TG.load = function (kind, path) {
    return TG.api(kind, 'GET', path).then(function (r) {
      if (r.ok) return r.data;
      if (r.status === 404) return null;
      TG.showProblem(r.data);
      return null;
    });
  };

  TG.problemText = function (problem) {
    if (!problem || typeof problem !== 'object') return 'Something went wrong; try again.';
    return (problem.title || 'Request failed') + (problem.detail ? ': ' + problem.detail : '');
  };
  TG.showProblem = function (problem, listId) {
    TG.status(TG.problemText(problem), true);
    if (listId) {
      var items = (problem && problem.errors) || [];
      TG.fill(listId, items.map(function (e) { return TG.h('li', { text: (e.path ? e.path + ': ' : '') + e.message }); }));
    }
  };

  TG.signIn = function () {
    TG.setToken('staff', null);
    location.assign('/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
  };

  TG.label = function (value) {
    if (value === null || value === undefined || value === '') return '—';
    var s = String(value).replace(/-/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  };
  TG.date = function (iso) { return iso ? String(iso).slice(0, 10) : '—'; };
  TG.dateTime = function (iso) { return iso ? String(iso).slice(0, 16).replace('T', ' ') + ' UTC' : '—'; };
  TG.today = function () { return new Date().toISOString().slice(0, 10); };
  TG.addDays = function (days) { return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10); };
  TG.badge = function (value, prefix) { return TG.h('span', { class: 'badge ' + (prefix ? prefix + '-' + value : ''), text: TG.label(value) }); };
  TG.pathId = function () { var parts = location.pathname.split('/'); return decodeURIComponent(parts[parts.length - 1] || ''); };

  /** A table that becomes labelled cards on narrow screens. columns: [{label, cell(row) -> node|string}]. */
  TG.table = function (columns, rows, empty) {
    if (!rows || rows.length === 0) return TG.h('p', { class: 'muted', text: empty || 'Nothing yet.' });
    return TG.h('table', { class: 'responsive' },
      TG.h('thead', null, TG.h('tr', null, columns.map(function (c) { return TG.h('th', { scope: 'col', text: c.label }); }))),
      TG.h('tbody', null, rows.map(function (row) {
        return TG.h('tr', null, columns.map(function (c) { return TG.h('td', { 'data-label': c.label }, c.cell(row)); }));
      })));
  };
  TG.facts = function (pairs) {
    return TG.h('dl', { class: 'facts' }, pairs.filter(Boolean).map(function (p) { return [TG.h('dt', { text: p[0] }), TG.h('dd', null, p[1] === null || p[1] === undefined || p[1] === '' ? '—' : p[1])]; }));
  };

  window.TG = TG;
})();
`;
