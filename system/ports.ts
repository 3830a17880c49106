import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The low end of the kernel's ephemeral range: outgoing connections take their source ports from
 * it, so a port picked there can be taken by some other suite's connection between the pick and the
 * listen (EADDRINUSE). Ports are picked below it.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 20_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const LOW = 20_000;
const HIGH = ephemeralLow();

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port free on loopback right now, outside the ephemeral range (for servers a test or benchmark starts itself). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await listenable(port)) return port;
  }
  throw new Error(`No free port on 127.0.0.1 between ${LOW} and ${HIGH}`);
}
