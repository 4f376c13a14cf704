import type { HostBsi } from '../probe/index.js';

// The handshake signature scheme is never reported by Node (always unchecked): not worth a word.
const ALWAYS_UNCHECKED = 'signature_algorithm';

function session(bsi: HostBsi): string {
  const group =
    bsi.group ?? (bsi.groupType === 'DH' && bsi.groupBits !== undefined ? `DH ${bsi.groupBits} bits` : '');
  const key =
    bsi.keyType === undefined
      ? 'peer key not known'
      : `${bsi.keyType} ${bsi.keyBits ?? '?'} bits${bsi.keyCurve === undefined ? '' : ` ${bsi.keyCurve}`}`;
  return `${[bsi.protocol, bsi.cipher, group].filter((p) => p !== undefined && p !== '').join(' ')}, ${key}`;
}

function offer(bsi: HostBsi): string {
  if (bsi.handshake !== 'default') return '';
  return bsi.profileError === undefined
    ? ' [default offer]'
    : ` [profile offer refused: ${bsi.profileError.code}; default offer]`;
}

/**
 * The `BSI` line of a host: the session against the BSI TR-02102-2 profile, the values judged, and
 * which offer the session came from.
 *
 * @example
 * ```text
 * within (TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 secp256r1, rsa 3072 bits)
 * outside: peer key rsa 2048 bits: RSA below 3000 bits (Table 13) (TLSv1.3 TLS_AES_128_GCM_SHA256 secp256r1, rsa 2048 bits)
 * within (TLSv1.3 TLS_AES_256_GCM_SHA384 secp256r1, rsa 3072 bits) [profile offer refused: ERR_SSL_…; default offer]
 * ```
 */
export function bsiText(bsi: HostBsi | undefined): string {
  if (bsi === undefined) return '-';
  if (bsi.handshake === 'none') return 'not checked: no TLS session';
  if (bsi.within) return `within (${session(bsi)})${offer(bsi)}`;
  if (bsi.shortfalls.length > 0) {
    const why = bsi.shortfalls.map((s) => `${s.aspect.replace(/_/g, ' ')} ${s.value}: ${s.text}`);
    return `outside: ${why.join('; ')} (${session(bsi)})${offer(bsi)}`;
  }
  const unknown = bsi.unchecked.filter((a) => a !== ALWAYS_UNCHECKED).map((a) => a.replace(/_/g, ' '));
  return `not proven: ${unknown.join(', ') || 'an aspect'} not known (${session(bsi)})${offer(bsi)}`;
}
