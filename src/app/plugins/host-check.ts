import { isIP } from 'node:net';
import type { Plugin } from 'graphql-yoga';
import { isLoopback } from '../../config/config.js';

/**
 * The host name of a `Host` header, lower-cased, without its port or a trailing dot; IPv6
 * literals without their brackets. Null when there is none.
 */
export function hostNameOf(header: string | null): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    name = value.slice(1, end);
  } else {
    const colon = value.indexOf(':');
    name = colon < 0 ? value : value.slice(0, colon);
  }
  name = name.replace(/\.$/, '');
  return name === '' ? null : name;
}

/**
 * Whether the gateway answers a request for `name`: loopback names, IP literals (a rebinding
 * attack needs a name, and health checks often use the address), the bound HOST, and the
 * configured names (`*.example.com` for its subdomains, `*` for any).
 */
export function hostAllowed(name: string, host: string, allowedHosts: readonly string[]): boolean {
  if (isLoopback(name) || isIP(name) !== 0) return true;
  if (name === host.toLowerCase()) return true;
  for (const entry of allowedHosts) {
    if (entry === '*' || entry === name) return true;
    if (entry.startsWith('*.') && name.endsWith(entry.slice(1))) return true;
  }
  return false;
}

/**
 * Refuses, before anything else runs, a request whose `Host` the gateway does not answer for, so
 * that a page on a rebound name (rebind.attacker.example → 127.0.0.1) cannot use the gateway
 * from a browser. The answer is a fixed 421 JSON error that echoes nothing of the request.
 */
export function hostCheckPlugin(host: string, allowedHosts: readonly string[]): Plugin {
  const refusal = JSON.stringify({
    errors: [
      {
        message:
          'This gateway does not answer for the host name of this request (see ALLOWED_HOSTS).',
        extensions: { code: 'HOST_NOT_ALLOWED' },
      },
    ],
  });
  return {
    onRequest({ request, endResponse }) {
      const name = hostNameOf(request.headers.get('host'));
      if (name !== null && hostAllowed(name, host, allowedHosts)) return;
      endResponse(
        new Response(refusal, { status: 421, headers: { 'content-type': 'application/json' } }),
      );
    },
  };
}
