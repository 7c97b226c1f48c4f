// URL rules shared by CloudFront (as a CloudFront Function) and the local gateway.

/** Bucket prefix of render's own state (rankings, the rebuild manifest): stored beside the site, never served. */
export const STATE_PREFIX = '_state/';

/**
 * Directory-index rewrite, written as CloudFront Functions JavaScript (runtime 2.0). The CDK stack deploys this
 * exact source; the local gateway evaluates the same source, so both worlds rewrite URLs identically.
 */
export const directoryIndexFunctionSource = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  // Render's own state is not part of the site under any spelling: percent-encoded (S3 decodes the key), in
  // another case, or behind repeated slashes. A key that is never written makes S3 answer 403, served as the 404
  // page like any missing page; a URI that does not decode is refused the same way.
  var plain;
  try {
    plain = decodeURIComponent(uri);
  } catch (e) {
    plain = '/${STATE_PREFIX}';
  }
  while (plain.indexOf('//') >= 0) plain = plain.replace('//', '/');
  if (plain.toLowerCase().startsWith('/${STATE_PREFIX}')) {
    request.uri = '/${STATE_PREFIX}none';
    return request;
  }
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/') + 1 && !uri.startsWith('/api/')) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: uri + '/' } },
    };
  }
  return request;
}`;

interface ViewerRequest {
  request: { uri: string };
}
type RewriteResult = { uri: string } | { statusCode: number; headers: { location: { value: string } } };

/** The directory-index function compiled for use in Node. */
export const rewriteDirectoryIndex = new Function(`${directoryIndexFunctionSource}; return handler;`)() as (
  event: ViewerRequest,
) => RewriteResult;

/** The S3 key of the 404 page; CloudFront and the local gateway both serve it for missing objects. */
export const NOT_FOUND_KEY = '404.html';
