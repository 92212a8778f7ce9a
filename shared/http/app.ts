/**
 * The one Hono app: served by hono/aws-lambda on Lambda and @hono/node-server locally; tests call app.request().
 * Portable: no Lambda or Node server types in here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from '../app/deps.ts';
import { isErrorCode, TrustgateError } from '../domain/errors.ts';
import { PUBLIC, type AppEnv, type RouteAccessEntry } from './access.ts';
import { ApiBuilder } from './api-builder.ts';
import { bodyLimit } from './body-limit.ts';
import { problem, statusFor, zodIssuesToDetails } from './problem.ts';
import { clientAddress, rateLimit } from './rate-limit.ts';
import { idempotency } from './idempotency.ts';
import { registerSystemRoutes } from './routes/system-routes.ts';
import { registerVendorRoutes } from './routes/vendor-routes.ts';
import { registerAssessmentRoutes } from './routes/assessment-routes.ts';
import { registerPortalRoutes } from './routes/portal-routes.ts';
import { registerQuestionnaireRoutes } from './routes/questionnaire-routes.ts';
import { registerRiskRoutes } from './routes/risk-routes.ts';
import { registerFourthPartyRoutes } from './routes/fourth-party-routes.ts';
import { registerCorrectionRoutes } from './routes/correction-routes.ts';
import { openPortalSession } from '../app/portal.ts';
import { registerPages } from './pages/register-pages.tsx';
import { LOCAL_UPLOAD_PATH, registerLocalObjectRoutes, s3ErrorResponse } from './routes/local-object-routes.ts';

// Only the local stand-in for S3 takes multipart (a file, under the upload limit): in AWS files go to S3, never through the API.
const UPLOAD_PATH = LOCAL_UPLOAD_PATH;
const isUploadPath = (path: string) => path === UPLOAD_PATH;

export const MAX_JSON_BODY_BYTES = 256 * 1024;

export interface TrustgateApp {
  app: OpenAPIHono<AppEnv>;
  /** Every route with the access it declared: the source of truth for who may call what. */
  accessTable: RouteAccessEntry[];
}

export interface AppLogger {
  error(message: string, error: unknown): void;
}

export interface AppLimits {
  portalPerMinute: number;
  signInPerMinute: number;
  /** Proxies of ours in front of the platform that append to X-Forwarded-For (0: trust only the platform's address). */
  trustedProxyHops: number;
}

export const DEFAULT_LIMITS: AppLimits = { portalPerMinute: 600, signInPerMinute: 20, trustedProxyHops: 0 };

export function createApp(deps: AppDeps, logger: AppLogger = { error: (m, e) => console.error(m, e) }, limits: AppLimits = DEFAULT_LIMITS): TrustgateApp {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const target = (result as { target?: string }).target;
        const prefix = target === 'query' ? 'query' : target === 'param' ? 'path' : target === 'header' ? 'header' : '';
        return problem(c, 400, 'validation-failed', 'The request is not valid', 'See errors for each field', zodIssuesToDetails(result.error.issues, prefix));
      }
      return undefined;
    },
  });

  app.use('*', secureHeaders());
  app.use('/api/*', async (c, next) => {
    const method = c.req.method;
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && c.req.header('content-length') !== '0') {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const hasBody = c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
      const expected = isUploadPath(c.req.path) ? 'multipart/form-data' : 'application/json';
      if (hasBody && type !== expected) {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono types a middleware's input as `any`; s3ErrorResponse() reads only the request and the response
        if (expected === 'multipart/form-data') return s3ErrorResponse(c, 'InvalidArgument', 'Bucket POST must be of the enclosure-type multipart/form-data', 400);
        // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono types a middleware's input as `any`; problem() and the limiters read only the request and the response
        return problem(c, 415, 'unsupported-media-type', 'Send the body as application/json');
      }
    }
    return next();
  });
  const jsonLimit = bodyLimit({ maxBytes: MAX_JSON_BODY_BYTES, tooLarge: (c) => problem(c, 413, 'payload-too-large', 'The body is too large', `At most ${MAX_JSON_BODY_BYTES} bytes`) });
  // Multipart overhead on top of the largest file; over it, the answer S3 gives to a post its policy refuses.
  const uploadLimit = bodyLimit({ maxBytes: deps.maxUploadBytes + 64 * 1024, drainUpToBytes: 4 * deps.maxUploadBytes, tooLarge: (c) => s3ErrorResponse(c, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${deps.maxUploadBytes} bytes)`, 400) });
  // Only bodies a route reads (POST, PUT, PATCH) are limited and read.
  const READS_BODY = new Set(['POST', 'PUT', 'PATCH']);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- hono types a middleware's input as `any`; problem() and the limiters read only the request and the response
  app.use('/api/*', (c, next) => (!READS_BODY.has(c.req.method) ? next() : isUploadPath(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)));

  // Outsiders reach the portal with nothing but a link: limit how fast one address can try links or save.
  app.use('/api/portal/*', rateLimit({ windowMs: 60_000, max: limits.portalPerMinute, key: (c) => `portal:${clientAddress(c, limits.trustedProxyHops)}` }));
  app.use('/auth/*', rateLimit({ windowMs: 60_000, max: limits.signInPerMinute, key: (c) => `auth:${clientAddress(c, limits.trustedProxyHops)}` }));

  const api = new ApiBuilder(app, deps.tokens, (token) => openPortalSession(deps, token), deps.mode, idempotency(deps.idempotency, () => deps.clock.now()));
  registerSystemRoutes(api, deps);
  registerVendorRoutes(api, deps);
  registerAssessmentRoutes(api, deps);
  registerPortalRoutes(api, deps);
  registerLocalObjectRoutes(api, deps.localObjects);
  registerPages(api, deps);
  registerRiskRoutes(api, deps);
  registerFourthPartyRoutes(api, deps);
  registerCorrectionRoutes(api, deps);
  registerQuestionnaireRoutes(api);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'portalToken', { type: 'http', scheme: 'bearer', description: 'The portal token from the vendor’s invitation link (tgp_…)' });
  api.plain('GET', '/openapi.json', PUBLIC, (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'trustgate API', version: '0.1.0', description: 'Vendor risk and security questionnaires. Errors are RFC 9457 problem+json with a stable `code`.' },
      }),
    ),
  );
  api.plain('GET', '/docs', PUBLIC, swaggerUI({ url: '/openapi.json', title: 'trustgate API' }) as never);

  app.notFound((c) => problem(c, 404, 'route-not-found', 'No such route', `${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    // A code outside the list is our defect: it falls through to the 500 below, logged.
    if (error instanceof TrustgateError && isErrorCode(error.code)) {
      return problem(c, statusFor(error), error.code, error.message, undefined, error.details);
    }
    if (error instanceof HTTPException) {
      // hono raises these while reading a body (JSON or a form that does not parse) or checking its media type.
      if (error.status === 400 && /json/i.test(error.message)) return problem(c, 400, 'malformed-json', 'The body is not valid JSON');
      if (error.status === 400) return problem(c, 400, 'malformed-body', 'The body could not be read', error.message || undefined);
      if (error.status === 413) return problem(c, 413, 'payload-too-large', 'The body is too large');
      if (error.status === 415) return problem(c, 415, 'unsupported-media-type', 'The body has a media type this route does not take');
    }
    logger.error(`Unhandled error on ${c.req.method} ${c.req.path}`, error);
    return problem(c, 500, 'internal-error', 'Something went wrong on our side', 'The error was logged');
  });

  return { app, accessTable: api.accessTable };
}

export { zodIssuesToDetails };
