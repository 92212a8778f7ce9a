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

  it('refuses a public URL that is not an absolute http(s) address, in both modes', () => {
    for (const bad of ['trustgate.example.com', 'ftp://trustgate.example.com', 'https://trustgate.example.com/?x=1', 'https://trustgate.example.com/#top', 'https://user:pw@trustgate.example.com']) {
      expect(() => loadConfig({ TRUSTGATE_PUBLIC_URL: bad }), bad).toThrow(/TRUSTGATE_PUBLIC_URL must be an absolute http\(s\) URL/);
    }
    expect(() => loadConfig({ TRUSTGATE_MODE: 'aws', TRUSTGATE_PUBLIC_URL: 'trustgate' })).toThrow(/TRUSTGATE_PUBLIC_URL must be an absolute http\(s\) URL/);
  });

  it('uses the public URL as given for the links in mails, without a trailing slash, path kept', () => {
    expect(loadConfig({ TRUSTGATE_PUBLIC_URL: 'https://trust.example.com/' }).publicBaseUrl).toBe('https://trust.example.com');
    expect(loadConfig({ TRUSTGATE_PUBLIC_URL: 'http://laptop.lan:3000/trustgate/' }).publicBaseUrl).toBe('http://laptop.lan:3000/trustgate');
  });
});
