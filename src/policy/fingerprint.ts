/** Normalizes a SHA-256 fingerprint to Node's `fingerprint256` form (`AB:CD:…`), or undefined. */
export function normalizeFingerprint(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const hex = input.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}
