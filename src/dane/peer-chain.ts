import { X509Certificate } from 'node:crypto';
import { type DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { argumentError, isInstance } from '../errors/index.js';

/**
 * The certificate chain of a TLS peer, leaf first, as `X509Certificate`s built from the raw DER:
 * the walk along `getPeerCertificate(true).issuerCertificate` until a certificate repeats (a
 * self-signed root points to itself). Empty when the peer sent no certificate.
 *
 * Node orders the chain by issuer; when the peer omits an issuer that the client's own trust store
 * holds, Node may append it. That never weakens DANE: a certificate counts only when a TLSA record
 * matches it and the chain verifies up to it.
 *
 * @example
 * ```ts
 * const chain = peerCertificateChain(tlsSocket);
 * const result = matchTlsa(chain, records, { names: [domain, mxHost] });
 * ```
 */
export function peerCertificateChain(socket: TLSSocket): X509Certificate[] {
  if (!isInstance(socket, TLSSocket)) throw argumentError('socket', socket, 'a TLSSocket');
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw !== undefined && current.raw.length > 0 && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}
