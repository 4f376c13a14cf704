import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { readArgument, stringArgument } from '../errors/index.js';

/**
 * The identity check of the policy host's certificate (RFC 8461 §3.3, RFC 6125): the host name must
 * match a DNS subject alternative name — the subject's common name is never used — where a wildcard
 * may only stand for the whole left-most label (`*.mandant.test` covers `mta-sts.mandant.test`, not
 * `a.mta-sts.mandant.test`). Returns an error with `code` `ERR_TLS_CERT_ALTNAME_INVALID` (Node's
 * code for a name mismatch), or `undefined` when the name matches. For `checkServerIdentity`.
 * Throws `EADDRESS` for a host that is not a string, `EPOLICY` for a certificate that is not an object.
 *
 * @example
 * ```ts
 * https.request({ …, checkServerIdentity: (_, cert) => checkPolicyHostIdentity('mta-sts.mandant.test', cert) });
 * ```
 */
export function checkPolicyHostIdentity(name: string, peer: PeerCertificate): Error | undefined {
  const host = stringArgument('host', name, 'EADDRESS');
  const cert = readArgument('cert', peer, { raw: 'object', subjectaltname: 'string' });
  let matched: string | undefined;
  try {
    matched = new X509Certificate(cert.raw as Buffer).checkHost(host, {
      subject: 'never',
      wildcards: true,
      partialWildcards: false,
      multiLabelWildcards: false,
      singleLabelSubdomains: false,
    });
  } catch {
    matched = undefined;
  }
  if (matched !== undefined) return undefined;
  const names =
    cert.subjectaltname === undefined || cert.subjectaltname === '' ? 'none' : cert.subjectaltname;
  return Object.assign(
    new Error(`certificate is not valid for ${host} (subject alternative names: ${names})`),
    {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      host,
    },
  );
}
