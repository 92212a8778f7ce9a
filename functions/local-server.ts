/** `npm start`: the whole product on one machine, on embedded components, state under .data/. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type LocalConfig } from '../shared/composition/config.ts';
import { startLocalStack } from '../shared/composition/local-deps.ts';
import { createApp } from '../shared/http/app.ts';
import { startupBanner } from '../shared/cli/startup-banner.ts';
import { startSweepTimer } from '../shared/composition/local-sweep.ts';
import { armCrashPoint } from '../shared/adapters/local/crash-points.ts';

async function main(): Promise<void> {
  let config: LocalConfig;
  try {
    const loaded = loadConfig();
    if (loaded.mode !== 'local') throw new ConfigError(['npm start runs the local stack: unset TRUSTGATE_MODE or set it to "local"']);
    config = loaded;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  armCrashPoint(config.crashAt);
  // PORT=0 means any free port: choose it now, so the links mailed to vendors carry the real one.
  if (config.port === 0) config = withPort(config, await freePort(config.host));
  const stack = await startLocalStack(config);
  const { app } = createApp(stack.deps, undefined, config.rateLimits);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, overrideGlobalObjects: false }, (info) => {
    console.log(startupBanner({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`, dataDir: config.dataDir, publicBaseUrl: config.publicBaseUrl, publicBaseUrlGiven: config.publicBaseUrlGiven, host: config.host }));
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${config.port} is in use: stop the other process or start with PORT=<free port> npm start` : error.message);
    process.exit(1);
  });
  const sweep = startSweepTimer(stack.deps, config.sweepIntervalSeconds, (line) => console.log(line));
  const stop = async () => {
    // Requests under way finish (for at most a few seconds) and the sweep under way ends before the store closes.
    await new Promise<void>((resolve) => {
      const cap = setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        resolve();
      }, 3000);
      server.close(() => {
        clearTimeout(cap);
        resolve();
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
    await sweep.stop();
    await stack.close();
    process.exit(0);
  };
  // A shutdown that fails still ends the process, with the reason, rather than as an unhandled rejection.
  const stopOrFail = () => void stop().catch((error: unknown) => {
    console.error('Shutdown failed:', error);
    process.exit(1);
  });
  process.once('SIGINT', stopOrFail);
  process.once('SIGTERM', stopOrFail);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function withPort(config: LocalConfig, port: number): LocalConfig {
  return { ...config, port, publicBaseUrl: config.publicBaseUrlGiven ? config.publicBaseUrl : `http://localhost:${port}` };
}

await main();
