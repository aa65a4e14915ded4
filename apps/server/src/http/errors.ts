import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PipelineValidationError, type ApiError } from '@eddy/shared';
import { IngestError } from '@eddy/runtime';
import { Busy, DomainError, Invalid, InvalidPipeline, NotFound, NotRunning, type DomainErrorKind } from '../domain-errors.js';

/** An error of HTTP itself (a wrong media type); the domain's errors are DomainErrors. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** The one table from a domain error's kind to its HTTP status. */
export const STATUS_OF: Record<DomainErrorKind, number> = {
  not_found: 404,
  invalid: 400,
  too_large: 413,
  stale_revision: 409,
  not_running: 409,
  not_translatable: 422,
  busy: 503,
  unavailable: 503,
};

/** The runtime's ingest refusals in the domain's words. */
function fromIngest(err: IngestError): DomainError {
  switch (err.code) {
    case 'not_found': return new NotFound('Node', err.message);
    case 'not_ingestible': return new Invalid(err.message, 'not_ingestible');
    case 'not_running': return new NotRunning(err.message, 'not_running');
    case 'busy': return new Busy(err.message);
  }
}

/** Errors the lower layers may throw, as domain errors (undefined: not one of ours). */
function asDomainError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  if (err instanceof IngestError) return fromIngest(err);
  if (err instanceof PipelineValidationError) return new InvalidPipeline(err.errors);
  return undefined;
}

export const body = (code: string, message: string, details?: unknown): ApiError => ({ error: { code, message, details } });

/** Unknown /api routes answer JSON, not Express's HTML page. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json(body('not_found', `No route ${req.method} ${req.originalUrl}`));
};

/** The last handler: maps domain, HTTP and body-parser errors to JSON; never lets one crash the server. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (res.headersSent) return;
  const domain = asDomainError(err);
  const e = err as { type?: string; status?: number; message?: string };
  if (domain) {
    if (domain instanceof Busy) res.set('Retry-After', String(domain.retryAfterSeconds));
    res.status(STATUS_OF[domain.kind]).json(body(domain.code, domain.message, domain.details));
  } else if (err instanceof HttpError) {
    res.status(err.status).json(body(err.code, err.message, err.details));
  } else if (e.type === 'entity.parse.failed') {
    res.status(400).json(body('invalid_json', `The body is not valid JSON: ${e.message}`));
  } else if (e.type === 'entity.too.large') {
    res.status(413).json(body('payload_too_large', 'The body is larger than the limit of this route'));
  } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json(body('unsupported_encoding', e.message ?? 'Unsupported encoding'));
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json(body('bad_request', e.message ?? 'Bad request'));
  } else {
    console.error('[eddy] internal error:', err);
    res.status(500).json(body('internal', 'Something went wrong inside Eddy; the error is in the server log'));
  }
};
