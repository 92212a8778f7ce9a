/** `npm start`: the whole product on one machine, on embedded components, state under .data/. */
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type LocalConfig } from '../shared/composition/config.ts';
import { startLocalStack } from '../shared/composition/local-deps.ts';
import { createApp } from '../shared/http/app.ts';
import { startupBanner } from '../shared/cli/startup-banner.ts';
import { startSweepTimer } from '../shared/composition/local-sweep.ts';

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
  const stack = await startLocalStack(config);
  const { app } = createApp(stack.deps, undefined, config.rateLimits);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, overrideGlobalObjects: false }, (info) => {
    console.log(startupBanner({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`, dataDir: config.dataDir }));
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${config.port} is in use: stop the other process or start with PORT=<free port> npm start` : error.message);
    process.exit(1);
  });
  const sweep = startSweepTimer(stack.deps, config.sweepIntervalSeconds, (line) => console.log(line));
  const stop = async () => {
    sweep.stop();
    server.close();
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
