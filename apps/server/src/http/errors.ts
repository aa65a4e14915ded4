import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiError } from '@eddy/shared';

/** An error with an HTTP status; every API error leaves as `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

export const body = (code: string, message: string, details?: unknown): ApiError => ({ error: { code, message, details } });

/** Unknown /api routes answer JSON, not Express's HTML page. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json(body('not_found', `No route ${req.method} ${req.originalUrl}`));
};

/** The last handler: maps body-parser failures and our errors to JSON; never lets one crash the server. */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (res.headersSent) return;
  const e = err as { type?: string; status?: number; message?: string; expose?: boolean };
  if (err instanceof HttpError) {
    res.status(err.status).json(body(err.code, err.message, err.details));
  } else if (e.type === 'entity.parse.failed') {
    res.status(400).json(body('invalid_json', `The body is not valid JSON: ${e.message}`));
  } else if (e.type === 'entity.too.large') {
    res.status(413).json(body('payload_too_large', 'The body is larger than 1 MB'));
  } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json(body('unsupported_encoding', e.message ?? 'Unsupported encoding'));
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json(body('bad_request', e.message ?? 'Bad request'));
  } else {
    console.error('[eddy] internal error:', err);
    res.status(500).json(body('internal', 'Something went wrong inside Eddy; the error is in the server log'));
  }
};
