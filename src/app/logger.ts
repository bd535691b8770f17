import { pino, type DestinationStream, type Logger } from 'pino';
import { scrub } from '../upstream/scrub.js';

/**
 * The gateway's structured logger. Credentials never reach it on purpose; the redaction below is
 * a second line of defence should a header object or a credential ever be logged by mistake, and
 * every line passes the scrubber (the gateway's key, key-, bearer- and JWT-shaped strings) on its
 * way out.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const target = destination ?? pino.destination(1);
  const scrubbed: DestinationStream = { write: (line: string) => target.write(scrub(line)) };
  return pino(
    {
      level,
      base: { service: 'admin-graph' },
      redact: {
        // Exact paths only: wildcard paths make every log call walk the object.
        paths: [
          'headers["x-api-key"]',
          'headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.authorization',
          'secret',
          'adminKey',
          'credential.secret',
        ],
        censor: '[redacted]',
      },
    },
    scrubbed,
  );
}
