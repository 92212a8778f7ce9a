/** What `npm start` prints once it is listening. */
export function startupBanner(input: { url: string; dataDir: string; publicBaseUrl: string; publicBaseUrlGiven: boolean; host: string }): string {
  const loopback = input.host === '127.0.0.1' || input.host === '::1' || input.host === 'localhost';
  const mailLinks = input.publicBaseUrlGiven
    ? [`  Mail links    ${input.publicBaseUrl}   (TRUSTGATE_PUBLIC_URL)`]
    : loopback
      ? [`  Mail links    ${input.publicBaseUrl}`]
      : [
          `  Mail links    ${input.publicBaseUrl}   (only this machine can open them: set TRUSTGATE_PUBLIC_URL to the`,
          `                address others reach this server by, e.g. TRUSTGATE_PUBLIC_URL=http://<this host's name>:<port>)`,
        ];
  return [
    '',
    `trustgate is running (local mode) at ${input.url}`,
    '',
    `  Web app       ${input.url}/sign-in   (demo users per role: procurement, security, admin)`,
    `  Health        ${input.url}/health`,
    `  API docs      ${input.url}/docs   (OpenAPI: ${input.url}/openapi.json)`,
    `  Outbox        ${input.url}/outbox   (mail is written here, not sent; API: /api/dev/outbox)`,
    ...mailLinks,
    `  Data          ${input.dataDir}   (delete it to start afresh)`,
    '',
    'Sign in: get a token for a role and send it as "Authorization: Bearer <token>":',
    '  npx trustgate token --role procurement     (also: security, admin; --email you@example.com)',
    '',
    'Example:',
    `  TOKEN=$(npx trustgate token --role procurement | tail -n 1)`,
    `  curl -s -X POST ${input.url}/api/vendors -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `    -d '{"name":"Acme Cloud","website":"https://acme.example","contactEmail":"security@acme.example","criticality":"high","dataClassification":"confidential"}'`,
    '',
    'Stop with Ctrl+C; state persists in the data folder.',
    '',
  ].join('\n');
}
