import { isEcrError } from '@ecrkit/core-types';
import { hasPresignedQuery, verifyPresignedUrl } from './presignedUrl.js';
import { sendEcrError, sendError } from './responses.js';
import type { ServerContext } from './serverContext.js';
import type { RouteExchange, ServerRoute } from './ServerRoute.js';
import { missingAuthentication, verifySigV4 } from './verifySigV4.js';

/**
 * `GET`/`HEAD /blobs/{account}/{region}/{repository}/{digest}`: the URLs GetDownloadUrlForLayer
 * hands out. A presigned query is always checked (so URLs expire whether or not signatures are
 * verified); with verification on, a request needs one, or a SigV4 Authorization header of a
 * known key.
 */
export function blobRoute(context: ServerContext): ServerRoute {
  const urlSignerFor = (accessKeyId: string) => (accessKeyId === context.urlSigner.accessKeyId ? context.urlSigner : undefined);
  return {
    methods: ['GET', 'HEAD'],
    matches: (path) => path.startsWith('/blobs/'),
    handle(exchange: RouteExchange): void {
      const { req, res, requestId, method } = exchange;
      try {
        const now = context.clock.now();
        if (hasPresignedQuery(exchange.url)) {
          verifyPresignedUrl({ method, url: exchange.url, rawHeaders: req.rawHeaders }, { credentialFor: urlSignerFor, now, keyCache: context.keyCache });
        } else if (context.verify) {
          if (req.headers.authorization === undefined) throw missingAuthentication();
          verifySigV4(
            { method, url: exchange.url, rawHeaders: req.rawHeaders, body: new Uint8Array(0) },
            { credentialFor: context.credentialFor, now, keyCache: context.keyCache },
          );
        }
      } catch (err) {
        sendEcrError(res, isEcrError(err) ? err : missingAuthentication(), requestId);
        return;
      }
      serveBlob(context, exchange);
    },
  };
}

function serveBlob(context: ServerContext, { res, path, method, requestId }: RouteExchange): void {
  // /blobs/{accountId}/{region}/{repository name, may contain '/'}/{digest}
  const parts = path.slice('/blobs/'.length).split('/').map(decodeSegment);
  const location =
    parts.length >= 4 && !parts.includes(undefined)
      ? { accountId: parts[0]!, region: parts[1]!, repositoryName: parts.slice(2, -1).join('/'), digest: parts[parts.length - 1]! }
      : undefined;
  const bytes = location ? context.registry.readBlob(location) : undefined;
  if (!bytes) {
    sendError(res, 404, 'LayersNotFoundException', 'The requested blob does not exist', requestId);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes.byteLength,
    'Docker-Content-Digest': location!.digest,
    'x-amzn-RequestId': requestId,
  });
  res.end(method === 'HEAD' ? undefined : bytes);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
