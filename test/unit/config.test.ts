import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../shared/composition/config.ts';

describe('loadConfig', () => {
  it('runs locally with embedded defaults and no variables set', () => {
    const config = loadConfig({}, '/tmp/project');
    expect(config).toMatchObject({ mode: 'local', port: 3000, host: '127.0.0.1', dataDir: '/tmp/project/.data', tableName: 'trustgate' });
  });

  it('lists every missing variable at once in aws mode', () => {
    try {
      loadConfig({ TRUSTGATE_MODE: 'aws', TRUSTGATE_TABLE_NAME: 't' });
      expect.unreachable('loadConfig should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'TRUSTGATE_PUBLIC_URL is required in aws mode',
        'TRUSTGATE_DOCUMENTS_BUCKET is required in aws mode',
        'TRUSTGATE_MAIL_FROM is required in aws mode',
        'TRUSTGATE_COGNITO_ISSUER is required in aws mode',
        'TRUSTGATE_COGNITO_CLIENT_ID is required in aws mode',
      ]);
    }
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
  });

  it('refuses an unknown mode', () => {
    expect(() => loadConfig({ TRUSTGATE_MODE: 'cloud' })).toThrow(/must be "local" or "aws"/);
  });

  it('trusts no proxy unless told, and reads the number of trusted proxy hops', () => {
    expect(loadConfig({}).rateLimits.trustedProxyHops).toBe(0);
    expect(loadConfig({ TRUSTGATE_TRUSTED_PROXY_HOPS: '1' }).rateLimits.trustedProxyHops).toBe(1);
  });

  it('refuses a number of trusted proxy hops that is not 0-5', () => {
    expect(() => loadConfig({ TRUSTGATE_TRUSTED_PROXY_HOPS: '-1' })).toThrow(/TRUSTGATE_TRUSTED_PROXY_HOPS must be a whole number from 0 to 5/);
    expect(() => loadConfig({ TRUSTGATE_TRUSTED_PROXY_HOPS: 'all' })).toThrow(/TRUSTGATE_TRUSTED_PROXY_HOPS/);
  });
});
