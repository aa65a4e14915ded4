import type { ValidationIssue } from '@eddy/shared';

/**
 * What jobs/* and store/* throw: errors of the domain, with no HTTP in them. `kind` says what
 * went wrong in general (http/errors.ts maps it to a status in one table); `code` is the
 * specific reason a client can switch on; `details` is structured context.
 */
export type DomainErrorKind = 'not_found' | 'invalid' | 'too_large' | 'stale_revision' | 'not_running' | 'busy' | 'not_translatable' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(message: string, readonly code: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not_found';
  /** `what`: "Pipeline 'x'"; `message` replaces the default "<what> not found". */
  constructor(what: string, message = `${what} not found`) {
    super(message, 'not_found');
  }
}

/** Input that breaks a rule of the domain (a bad body field, an unknown checkpoint, …). */
export class Invalid extends DomainError {
  readonly kind = 'invalid';
}

export class InvalidPipeline extends Invalid {
  constructor(readonly errors: ValidationIssue[]) {
    const first = errors.slice(0, 3).map((e) => `${e.nodeId ? `node '${e.nodeId}' ` : ''}${e.path ? `at ${e.path}` : ''}: ${e.message}`);
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    super(`Invalid pipeline: ${first.join('; ')}${more}`, 'invalid_pipeline', { errors });
  }
}

/** More than the server takes at once, whatever else is going on (a batch larger than the ingest queue). */
export class TooLarge extends DomainError {
  readonly kind = 'too_large';
}

export class StaleRevision extends DomainError {
  readonly kind = 'stale_revision';
  constructor(id: string, current: number, yours: number) {
    super(`Pipeline '${id}' was saved by someone else (revision ${current}, you edited ${yours}); reload or overwrite`,
      'stale_revision', { currentRevision: current, yourRevision: yours });
  }
}

export class NotRunning extends DomainError {
  readonly kind = 'not_running';
}

/** Too much at once: try again after `retryAfterSeconds`. */
export class Busy extends DomainError {
  readonly kind = 'busy';
  constructor(message: string, readonly retryAfterSeconds = 1, details?: unknown) {
    super(message, 'busy', details);
  }
}

export class NotTranslatable extends DomainError {
  readonly kind = 'not_translatable';
}

/** A service the request needs (a Flink SQL Gateway) is not configured or does not answer. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
}
