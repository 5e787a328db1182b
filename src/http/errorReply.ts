// Issue 12 item 10: one error shape for every route of the REST APIs, `{ error, message }` (plus
// `coapCode` for an answer of the client), whatever raised it: a schema check, a body parser, an
// LwM2M error, a bug. fastify's internal codes (FST_ERR_...) never reach the body; the message
// names the field and the rule. Also: an empty body with a JSON content type is no body (a DELETE
// sent by a generic HTTP client often carries `Content-Type: application/json` and nothing else).
import type { FastifyError, FastifyInstance } from 'fastify';
import { httpStatusForCoapCode, type HttpReply } from './lwm2mReply.js';

/** The short `error` text of an HTTP status. */
export function errorText(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not found';
    case 405:
      return 'method not allowed';
    case 406:
      return 'not acceptable';
    case 413:
      return 'payload too large';
    case 415:
      return 'unsupported media type';
    case 421:
      return 'misdirected request';
    default:
      return status >= 500 ? 'internal error' : 'bad request';
  }
}

function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  const allowed = (first?.params as { allowedValues?: unknown } | undefined)?.allowedValues;
  return Array.isArray(allowed) ? `${err.message}: ${allowed.join(', ')}` : err.message;
}

/** Messages that say what to do instead of fastify's own, by fastify error code. */
function parserMessage(err: FastifyError, contentType: string | undefined): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `body: content-type "${(contentType ?? '').slice(0, 60)}" is not accepted here; send application/json`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body: larger than the limit of this API`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return `body: not valid JSON (content-type is application/json)`;
    default:
      return err.message;
  }
}

/** The reply for an error raised while handling a request; `log` is called for 5xx (bugs). */
export function errorReply(
  err: FastifyError,
  contentType: string | undefined,
  log: (e: unknown) => void,
): HttpReply {
  if (err.validation) return { status: 400, body: { error: 'bad request', message: validationMessage(err) } };
  const coapCode = (err as { coapCode?: unknown }).coapCode;
  if (typeof coapCode === 'number' && coapCode >> 5 === 4) {
    const status = httpStatusForCoapCode(coapCode);
    return { status, body: { error: errorText(status), message: err.message } };
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return {
      status: err.statusCode,
      body: { error: errorText(err.statusCode), message: parserMessage(err, contentType) },
    };
  log(err);
  return { status: 500, body: { error: 'internal error', message: err.message } };
}

/** Installs the shared error handler and the JSON parser that takes an empty body as none. */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const r = errorReply(err, req.headers['content-type'], (e) => req.log.error(e));
    return reply.code(r.status).send(r.body);
  });
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return json(req, text, done);
  });
}
