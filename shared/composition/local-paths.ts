/** Where local mode keeps its files under the data folder (kept apart so the CLI can find them cheaply). */
import { join } from 'node:path';
import type { LocalConfig } from './config.ts';

export const localSigningKeyFile = (config: Pick<LocalConfig, 'dataDir'>) => join(config.dataDir, 'local-signing-key');
