import { type ConnectionOptions, createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

// Options that shape a secure context (the rest are per-connection: servername, rejectUnauthorized…).
const CONTEXT_KEYS = [
  'ciphers',
  'ecdhCurve',
  'sigalgs',
  'maxVersion',
  'key',
  'cert',
  'pfx',
  'passphrase',
] as const;
const MAX_CACHED = 32;
const cache = new Map<string, SecureContext>();

/**
 * A secure context trusting Node's root store plus `extraCa`, cached by its options. Building a
 * context with ~140 root certificates costs tens of milliseconds, so doing it per connection would
 * dominate a pooled sender's time; the context is immutable and safe to share.
 */
export function sharedSecureContext(
  extraCa: readonly string[],
  minVersion: ConnectionOptions['minVersion'],
  tls: ConnectionOptions | undefined,
): SecureContext {
  const own: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) if (tls?.[key] !== undefined) own[key] = tls[key];
  const key = JSON.stringify([extraCa, minVersion ?? null, own]);
  let context = cache.get(key);
  if (context === undefined) {
    context = createSecureContext({
      ...own,
      ca: [...rootCertificates, ...extraCa],
      ...(minVersion === undefined ? {} : { minVersion }),
    });
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, context);
  }
  return context;
}
