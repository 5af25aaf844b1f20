// A bare TCP exchange: send exactly these bytes, collect what comes back, report whether the server closed the socket.

import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server sent. */
  received: string;
  /** The server ended or reset the connection before our deadline. */
  closedByServer: boolean;
  /** How many bytes we wrote in total. */
  bytesWritten: number;
}

export interface RawOptions {
  port: number;
  /** Written first (request line + headers + blank line). */
  head: string;
  /** Optional body bytes written after the head, in chunks, unless the server closes first. */
  body?: Buffer;
  /** Give up waiting for a close after this long. */
  waitMs: number;
  /** Delay before the body is written; lets an early answer arrive first. */
  bodyDelayMs?: number;
}

export function rawExchange(options: RawOptions): Promise<RawExchange> {
  return new Promise<RawExchange>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const chunks: Buffer[] = [];
    let closed = false;
    let done = false;
    let written = 0;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks).toString('latin1'), closedByServer: closed, bytesWritten: written });
    };
    const timer = setTimeout(finish, options.waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      socket.write(options.head, 'latin1');
      written += Buffer.byteLength(options.head, 'latin1');
      const body = options.body;
      if (body === undefined) return;
      setTimeout(() => {
        if (done || closed) return;
        socket.write(body);
        written += body.length;
      }, options.bodyDelayMs ?? 0);
    });
  });
}

/** Status code from the first line of a raw HTTP response, or undefined. */
export function statusOf(raw: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
