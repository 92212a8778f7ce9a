/** Lambda entry for the HTTP API (API Gateway HTTP API v2 → Hono). */
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { createApp } from '../shared/http/app.ts';

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const { app } = createApp(createAwsDeps(config));

export const handler = handle(app);
