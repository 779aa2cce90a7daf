import type { ServerResponse } from 'node:http';
import { decodeInput, encodeOutput, isEcrError, isValidRegion, operationFromTarget, operationSpec, signingNames } from '@ecrkit/core-types';
import { SimulatedFault, type FaultKind } from '../RegistryCall.js';
import type { BlobLocation } from '../SimulatedRegistry.js';
import { presignUrl } from './presignedUrl.js';
import { jsonType, refuseUnread, send, sendEcrError, sendError } from './responses.js';
import type { ServerContext } from './serverContext.js';
import type { RouteExchange, ServerRoute } from './ServerRoute.js';
import { invalidRegion, missingAuthentication, regionFromAuthorization, verifySigV4Headers, type SigV4Preflight } from './verifySigV4.js';

/** `POST /`: the AWS JSON 1.1 API of private ECR and ECR Public, routed by `X-Amz-Target`. */
export function awsJsonRoute(context: ServerContext): ServerRoute {
  const blobUrl = (location: BlobLocation) => presignedBlobUrl(context, location);
  return {
    methods: ['POST'],
    matches: (path) => path === '/',
    handle: (exchange) => handleApiCall(context, exchange, blobUrl),
  };
}

/** Where a blob is served: `{publicUrl}/blobs/{account}/{region}/{repository}/{digest}`, presigned for `downloadUrlTtlSeconds`. */
export function presignedBlobUrl(context: ServerContext, location: BlobLocation): string {
  const path = `/blobs/${location.accountId}/${location.region}/${location.repositoryName}/${location.digest}`;
  return presignUrl(new URL(path, context.publicUrl), {
    credential: context.urlSigner,
    // ECR Public's pseudo-region is no signing region.
    region: isValidRegion(location.region) ? location.region : context.defaultRegion,
    service: 's3',
    now: context.clock.now(),
    expiresSeconds: context.downloadUrlTtlSeconds,
    keyCache: context.keyCache,
  });
}

async function handleApiCall(context: ServerContext, exchange: RouteExchange, blobUrl: (location: BlobLocation) => string): Promise<void> {
  const { req, res, requestId } = exchange;
  const targetHeader = req.headers['x-amz-target'];
  const target = typeof targetHeader === 'string' ? operationFromTarget(targetHeader) : undefined;

  // (1) Authenticate from the headers alone, before any body byte is taken in.
  let region = context.defaultRegion;
  let accountId: string | undefined;
  let preflight: SigV4Preflight | undefined;
  if (context.verify) {
    try {
      preflight = verifySigV4Headers(
        { method: 'POST', url: exchange.url, rawHeaders: req.rawHeaders },
        {
          credentialFor: context.credentialFor,
          now: context.clock.now(),
          expectedService: target ? signingNames[target.api] : undefined,
          keyCache: context.keyCache,
        },
      );
    } catch (err) {
      return refuseUnread(res, isEcrError(err) ? err : missingAuthentication(), requestId);
    }
  } else {
    const scope = regionFromAuthorization(req.headers.authorization);
    if (scope) {
      // Unverified, the scope still picks the region whose state is used: it must be a region name.
      if (!isValidRegion(scope.region)) return refuseUnread(res, invalidRegion(scope.region), requestId);
      region = scope.region;
      accountId = context.credentials.get(scope.accessKeyId)?.accountId;
    }
  }

  // (2) The body, under the per-request cap and the global budget.
  const body = await exchange.readBody();
  if (body === undefined) return;

  // (3) The signature, which covers the body.
  if (preflight) {
    try {
      const identity = preflight.verifyPayload(body);
      region = identity.region;
      accountId = identity.accountId;
    } catch (err) {
      return sendEcrError(res, isEcrError(err) ? err : missingAuthentication(), requestId);
    }
  }

  if (!target) {
    const message = typeof targetHeader === 'string' ? `Unknown operation ${targetHeader.slice(0, 128)}` : 'Missing X-Amz-Target header';
    return sendError(res, 400, 'UnknownOperationException', message, requestId);
  }
  const spec = operationSpec(target.api, target.operation)!;

  let parsed: unknown = {};
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'SerializationException', 'Request body is not valid JSON', requestId);
    }
    if (parsed === null) parsed = {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      return sendError(res, 400, 'SerializationException', 'Start of structure or map found where not expected.', requestId);
    }
  }

  let output: unknown;
  try {
    output = await context.registry.execute({
      api: target.api,
      operation: target.operation,
      input: decodeInput(spec, parsed),
      region,
      accountId,
      face: 'http',
      blobUrl,
      registryUrl: context.publicUrl,
    });
  } catch (err) {
    if (err instanceof SimulatedFault) return actOut(res, err.fault, requestId);
    if (isEcrError(err)) return sendEcrError(res, err, requestId);
    return sendError(res, 500, 'ServerException', 'An internal error occurred in the simulated registry', requestId);
  }
  if (spec.mutating) context.onMutation?.({ api: target.api, operation: target.operation });
  send(res, 200, jsonType, JSON.stringify(encodeOutput(spec, output ?? {})), requestId);
}

/** Misbehave on the wire the way broken networks and proxies do. */
function actOut(res: ServerResponse, fault: FaultKind, requestId: string): void {
  switch (fault) {
    case 'drop-connection':
      res.socket?.destroy();
      return;
    case 'truncated-body': {
      const partial = '{"imageDetails":[{"registryId":"123456789012","repositoryName":"';
      res.writeHead(200, { 'Content-Type': jsonType, 'Content-Length': partial.length + 1024, 'x-amzn-RequestId': requestId, Connection: 'close' });
      res.write(partial, () => res.destroy());
      return;
    }
    case 'malformed-body':
      send(res, 200, jsonType, '{"imageDetails":[{"imageDigest":"sha256:', requestId);
      return;
    case 'html-502':
      send(res, 502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', requestId);
      return;
    case 'wrong-content-type':
      send(res, 200, 'text/plain', 'OK', requestId);
      return;
    default:
      res.socket?.destroy();
  }
}
