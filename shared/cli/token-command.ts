/** `trustgate token --role <role> [--email <e>] [--hours <n>]`: a locally signed bearer token (local mode only). */
import { parseArgs } from 'node:util';
import { LocalTokenService } from '../adapters/auth/local-token-service.ts';
import { ConfigError, loadConfig } from '../composition/config.ts';
import { localSigningKeyFile } from '../composition/local-paths.ts';
import { isRole, ROLES } from '../domain/roles.ts';
import type { CliCommand } from './cli-io.ts';

const USAGE = `Usage: trustgate token --role <${ROLES.join('|')}> [--email <address>] [--hours <1-720>]`;

export const tokenCommand: CliCommand = async (args, io) => {
  let values: { role?: string; email?: string; hours?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { role: { type: 'string' }, email: { type: 'string' }, hours: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    io.stderr(`trustgate token: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const role = values.role;
  if (!role || !isRole(role)) {
    io.stderr(`trustgate token: --role must be one of ${ROLES.join(', ')}${role ? ` (got "${role}")` : ''}\n${USAGE}`);
    return 2;
  }
  const email = values.email ?? `${role}@example.com`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    io.stderr(`trustgate token: --email must be an email address (got "${email}")`);
    return 2;
  }
  const hours = values.hours === undefined ? 12 : Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) {
    io.stderr('trustgate token: --hours must be a whole number from 1 to 720');
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    io.stderr(`trustgate token: ${error instanceof ConfigError ? error.message : String(error)}`);
    return 2;
  }
  if (config.mode !== 'local') {
    io.stderr('trustgate token: tokens are issued locally only; in AWS sign in through Cognito');
    return 2;
  }
  const service = await LocalTokenService.fromKeyFile(localSigningKeyFile(config));
  const token = await service.issueToken({ role, email, expiresInSeconds: hours * 3600 });
  io.stderr(`Bearer token for ${email} (role ${role}), valid ${hours} h. Send it as "Authorization: Bearer <token>":`);
  io.stdout(token);
  return 0;
};
