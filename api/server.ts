import type { Server } from 'node:http';
import type { Express } from 'express';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listens, and on close stops accepting, lets requests in flight finish, then drops idle sockets. */
export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://${host}:${actualPort}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
