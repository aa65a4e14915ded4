// The access policy (security.ts) applied to Express routes and the socket.io handshake.
import type { IncomingMessage } from 'node:http';
import express, { Router, type RequestHandler, type Response } from 'express';
import { body, HttpError } from './errors.js';
import { sameOrigin, type AccessPolicy } from './security.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const forbiddenHost = (host: string | undefined) =>
  body('forbidden_host', `The Host '${host ?? ''}' does not name this server (a DNS rebinding attempt, or a name to add to EDDY_ALLOWED_HOSTS)`);
const forbiddenOrigin = (origin: string) =>
  body('forbidden_origin', `Requests from the page at '${origin}' may not change anything here; only the designer's own origin (or a client that sends no Origin) may`);
const unauthorized = () =>
  body('unauthorized', 'This Eddy needs its token: send Authorization: Bearer <token>, or open the designer with ?token=<token>');

/** Headers that keep the designer out of other sites' frames and its URLs out of Referer. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  next();
};

/** 403 unless the Host header names this server: a rebound DNS name cannot drive the API. */
export function hostCheck(policy: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    if (policy.hostAllowed(req.headers.host)) next();
    else res.status(403).json(forbiddenHost(req.headers.host));
  };
}

/**
 * State-changing requests: a same-origin Origin (or none) and a JSON body (or none), so a
 * cross-site form (text/plain, urlencoded, multipart) or script cannot deploy, stop or write.
 */
export const stateChangeCheck: RequestHandler = (req, res, next) => {
  if (!STATE_CHANGING.has(req.method)) return next();
  const origin = req.headers.origin;
  if (!sameOrigin(origin, req.headers.host)) {
    res.status(403).json(forbiddenOrigin(String(origin)));
    return;
  }
  const type = req.headers['content-type'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const json = type !== undefined && type.split(';')[0].trim().toLowerCase() === 'application/json';
  if ((type !== undefined || hasBody) && !json) {
    res.status(415).json(body('unsupported_media_type',
      `Requests that change something take an application/json body or none, not '${type ?? 'a body without Content-Type'}'`));
    return;
  }
  next();
};

/** 401 (with WWW-Authenticate) unless the request carries the token; open when no token is set. */
export function requireToken(policy: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    if (policy.authorized(req)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="eddy"').json(unauthorized());
  };
}

function setSessionCookie(policy: AccessPolicy, res: Response, secure: boolean) {
  res.cookie(policy.cookieName(), policy.token ?? '', { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: 30 * 24 * 3600 * 1000 });
}

/**
 * A page opened with `?token=…` (the URL printed at start): a valid token becomes the session
 * cookie, and the browser goes to the clean URL so the token leaves the address bar and history.
 */
export function tokenFromQuery(policy: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    const given = req.query.token;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || given === undefined || policy.token === null) return next();
    if (policy.tokenMatches(given)) setSessionCookie(policy, res, req.secure);
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.delete('token');
    res.redirect(303, url.pathname + url.search);
  };
}

/** POST /api/session { token } sets the session cookie (the designer's token dialog); DELETE clears it. */
export function sessionRoutes(policy: AccessPolicy): Router {
  const r = Router();
  r.post('/session', express.json({ limit: '16kb' }), (req, res) => {
    const given = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof given !== 'string') throw new HttpError(400, 'invalid_body', 'Send { "token": "<token>" }', { path: 'token' });
    if (policy.token === null) {
      res.json({ tokenRequired: false });
      return;
    }
    if (!policy.tokenMatches(given)) throw new HttpError(401, 'invalid_token', 'That is not this server\'s token');
    setSessionCookie(policy, res, req.secure);
    res.json({ tokenRequired: true });
  });
  r.delete('/session', (_req, res) => {
    res.clearCookie(policy.cookieName(), { path: '/' });
    res.status(204).end();
  });
  return r;
}

/** socket.io's allowRequest: the handshake passes the same Host, Origin and token checks as the API. */
export function socketAllowRequest(policy: AccessPolicy) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const { host, origin } = req.headers;
    if (!policy.hostAllowed(host)) callback(forbiddenHost(host).error.message, false);
    else if (!sameOrigin(origin, host)) callback(forbiddenOrigin(String(origin)).error.message, false);
    else if (!policy.authorized(req)) callback(unauthorized().error.message, false);
    else callback(null, true);
  };
}
