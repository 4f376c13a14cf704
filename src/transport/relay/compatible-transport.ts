import type { ForcedTlsTransport } from '../forced-tls-transport.js';
import { compatibleInfo, compatibleSendError, compatibleVerifyError } from './nodemailer-contract.js';

type Send = ForcedTlsTransport['send'];
type Verify = ForcedTlsTransport['verify'];

/**
 * Makes a relay transport keep nodemailer's error contract, for `forceTls`: `send` and `verify`
 * answer with nodemailer's codes and fields for failures that are not about TLS (see
 * `compatibleSendError`, `compatibleVerifyError`) and `rejectedErrors` in nodemailer's shape. The
 * delivery itself is the relay transport's, unchanged.
 *
 * @example
 * ```ts
 * const transporter = nodemailer.createTransport(keepNodemailerContract(createRelayTransport(options)));
 * ```
 */
export function keepNodemailerContract(transport: ForcedTlsTransport): ForcedTlsTransport {
  const send: Send = transport.send.bind(transport);
  const verify: Verify = transport.verify.bind(transport);
  const compatibleSend: Send = (mail, callback) =>
    send(mail, (error, info) => {
      if (error) return callback(compatibleSendError(error) as Error);
      callback(null, info === undefined ? info : compatibleInfo(info));
    });
  const compatibleVerify: Verify = (callback) => {
    // A callback that is not a function: the relay transport's own EPOLICY, thrown synchronously.
    if (callback !== undefined && typeof callback !== 'function') return verify(callback);
    const result = (verify() as Promise<true>).catch((error: unknown) => {
      throw compatibleVerifyError(error);
    });
    if (callback === undefined) return result;
    result.then(
      (ok) => callback(null, ok),
      (error: unknown) => callback(error as Error),
    );
    return undefined;
  };
  Object.defineProperty(transport, 'send', { value: compatibleSend, configurable: true });
  Object.defineProperty(transport, 'verify', { value: compatibleVerify, configurable: true });
  return transport;
}
