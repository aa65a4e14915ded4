import { Busy, TooLarge } from '../domain-errors.js';

export interface IngestLimits {
  /** Records accepted but not yet in their pipeline, over all ingest requests. */
  maxRecords: number;
  /** Request bytes being read, parsed or waiting for their pipeline. */
  maxBytes: number;
}

/** Defaults, or EDDY_INGEST_MAX_RECORDS / EDDY_INGEST_MAX_BYTES. */
export function ingestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestLimits {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return { maxRecords: num('EDDY_INGEST_MAX_RECORDS', 100_000), maxBytes: num('EDDY_INGEST_MAX_BYTES', 64 * 1024 * 1024) };
}

/** What one request holds of the queue; release it once (its records are in, or refused). */
export interface IngestTicket {
  bytes: number;
  records: number;
}

/**
 * The bounded ingest queue: what ingest requests hold between arriving and being in their
 * pipeline, in records and in bytes. A request that does not fit is refused (Busy) before its
 * body is parsed, so a flood of large batches costs the server little and the API stays
 * responsive; senders retry after Retry-After.
 */
export class IngestGate {
  private bytes = 0;
  private records = 0;

  constructor(readonly limits: IngestLimits) {}

  /** Before reading the body: room for `bytes`? Throws TooLarge (larger than the queue) or Busy. */
  admitBytes(bytes: number): IngestTicket {
    if (bytes > this.limits.maxBytes) {
      throw new TooLarge(`The batch is ${bytes} bytes, more than the ingest queue holds (${this.limits.maxBytes}): send smaller batches`, 'batch_too_large',
        { bytes, maxBytes: this.limits.maxBytes });
    }
    if (this.bytes + bytes > this.limits.maxBytes) this.busy();
    this.bytes += bytes;
    return { bytes, records: 0 };
  }

  /** After parsing: room for `records` more? Throws TooLarge or Busy (then the ticket is released). */
  admitRecords(ticket: IngestTicket, records: number): void {
    if (records > this.limits.maxRecords) {
      this.release(ticket);
      throw new TooLarge(`The batch has ${records} records, more than the ingest queue holds (${this.limits.maxRecords}): send smaller batches`, 'batch_too_large',
        { records, maxRecords: this.limits.maxRecords });
    }
    if (this.records + records > this.limits.maxRecords) {
      this.release(ticket);
      this.busy();
    }
    this.records += records;
    ticket.records = records;
  }

  release(ticket: IngestTicket): void {
    this.bytes -= ticket.bytes;
    this.records -= ticket.records;
    ticket.bytes = ticket.records = 0;
  }

  /** What the queue holds now (metrics, tests). */
  get held(): IngestTicket {
    return { bytes: this.bytes, records: this.records };
  }

  private busy(): never {
    throw new Busy(`The ingest queue is full (${this.records} of ${this.limits.maxRecords} records, ${this.bytes} of ${this.limits.maxBytes} bytes waiting): retry later`,
      1, { heldRecords: this.records, heldBytes: this.bytes, ...this.limits });
  }
}
