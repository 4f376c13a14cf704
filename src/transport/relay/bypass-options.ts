import { ForcedTlsError } from '../../errors/forced-tls-error.js';

function refuse(path: string, value: unknown, why: string): never {
  throw new ForcedTlsError('EPOLICY', `Option ${path} is refused: ${why}`, { path, value });
}

/**
 * Refuses every nodemailer option that would let a session skip TLS or its checks (research
 * nodemailer.md §1.5): `ignoreTLS`, `opportunisticTLS`, a caller-supplied socket (`getSocket`,
 * `connection`, `socket`, `secured` — the X5 bypass). Throws `EPOLICY` naming the option. The `tls`
 * options are checked by `checkTlsOptions`.
 */
export function refuseBypassOptions(options: Readonly<Record<string, unknown>>): void {
  if (options['ignoreTLS']) refuse('ignoreTLS', options['ignoreTLS'], 'it sends without STARTTLS');
  if (options['opportunisticTLS']) {
    refuse('opportunisticTLS', options['opportunisticTLS'], 'it continues in plaintext when STARTTLS fails');
  }
  for (const key of ['getSocket', 'connection', 'socket']) {
    if (options[key] !== undefined && options[key] !== null) {
      refuse(key, typeof options[key], 'a caller-supplied socket can bypass TLS');
    }
  }
  if (options['secured']) refuse('secured', options['secured'], 'it declares a plain socket already secure');
  if (options['requireTLS'] === false && options['secure'] !== true) {
    refuse('requireTLS', false, 'STARTTLS is always mandatory; remove requireTLS: false');
  }
  if (options['proxy'] !== undefined) {
    throw new ForcedTlsError('EUNSUPPORTED', 'Option proxy is not supported by the TLS-enforcing transport', {
      path: 'proxy',
      value: '(set)',
    });
  }
}
