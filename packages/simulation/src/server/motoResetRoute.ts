import { isEcrError } from '@ecrkit/core-types';
import { refuseUnread, send, sendEcrError } from './responses.js';
import type { ServerContext } from './serverContext.js';
import type { RouteExchange, ServerRoute } from './ServerRoute.js';
import { missingAuthentication, verifySigV4Headers } from './verifySigV4.js';

/**
 * `POST /moto-api/reset` (moto's server-mode harness): empties the registry. With verification
 * on it must be SigV4-signed by a known key like any API call (any signing service).
 */
export function motoResetRoute(context: ServerContext): ServerRoute {
  return {
    methods: ['POST'],
    matches: (path) => path === '/moto-api/reset',
    async handle(exchange: RouteExchange): Promise<void> {
      const { req, res, url, requestId } = exchange;
      let verifyPayload: ((body: Uint8Array) => unknown) | undefined;
      if (context.verify) {
        try {
          const preflight = verifySigV4Headers(
            { method: 'POST', url, rawHeaders: req.rawHeaders },
            { credentialFor: context.credentialFor, now: context.clock.now(), keyCache: context.keyCache },
          );
          verifyPayload = (body) => preflight.verifyPayload(body);
        } catch (err) {
          return refuseUnread(res, isEcrError(err) ? err : missingAuthentication(), requestId);
        }
      }
      const body = await exchange.readBody();
      if (body === undefined) return;
      try {
        verifyPayload?.(body);
      } catch (err) {
        return sendEcrError(res, isEcrError(err) ? err : missingAuthentication(), requestId);
      }
      context.registry.reset();
      context.onMutation?.({ api: 'moto-api', operation: 'reset' });
      send(res, 200, 'application/json', '{"status":"ok"}', requestId);
    },
  };
}
