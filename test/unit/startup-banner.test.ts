import { describe, expect, it } from 'vitest';
import { startupBanner } from '../../shared/cli/startup-banner.ts';

const base = { url: 'http://127.0.0.1:3000', dataDir: '/data' };

describe('startup banner: where mailed links point', () => {
  it('names the public URL when one is set', () => {
    const text = startupBanner({ ...base, host: '0.0.0.0', publicBaseUrl: 'https://trust.example.com', publicBaseUrlGiven: true });
    expect(text).toContain('Mail links    https://trust.example.com   (TRUSTGATE_PUBLIC_URL)');
  });

  it('tells how to set it when the server listens beyond this machine but mails localhost links', () => {
    const text = startupBanner({ ...base, host: '0.0.0.0', publicBaseUrl: 'http://localhost:3000', publicBaseUrlGiven: false });
    expect(text).toMatch(/Mail links {4}http:\/\/localhost:3000 {3}\(only this machine can open them: set TRUSTGATE_PUBLIC_URL/);
  });

  it('says nothing more on a loopback-only server', () => {
    const text = startupBanner({ ...base, host: '127.0.0.1', publicBaseUrl: 'http://localhost:3000', publicBaseUrlGiven: false });
    expect(text).toContain('Mail links    http://localhost:3000\n');
    expect(text).not.toContain('TRUSTGATE_PUBLIC_URL');
  });
});
