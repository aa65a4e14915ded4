// Real HTTP with every header under the test's control (fetch will not send a forged Host).
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: any }

export function raw(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method, headers: { ...headers, ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Connects a real socket.io client with the given handshake headers: 'connected' or the connect_error's message. */
export async function socketOutcome(url: string, headers: Record<string, string> = {}): Promise<{ outcome: 'connected' | 'refused'; message: string; socket: Socket }> {
  const socket = io(url, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ outcome: 'connected', message: '', socket }));
    socket.once('connect_error', (err) => { socket.close(); resolve({ outcome: 'refused', message: err.message, socket }); });
  });
}
