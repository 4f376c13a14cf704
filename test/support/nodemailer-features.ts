import {
  atLeast,
  nodemailerVersion,
  REQUIRETLS_SINCE,
  STARTTLS_DISCARD_SINCE,
} from '../../src/internal/nodemailer-version.js';

/**
 * What the nodemailer under test can do. `scripts/nodemailer-matrix.mjs` runs the transport tests once
 * per supported major (FORCED_TLS_NODEMAILER); a test that needs a newer nodemailer says so with these
 * flags, and the matching refusal is tested where the flag is false.
 */
export const NODEMAILER_VERSION = nodemailerVersion();

/** REQUIRETLS (RFC 8689) came in nodemailer 7.0.12. */
export const HAS_REQUIRETLS = atLeast(NODEMAILER_VERSION, REQUIRETLS_SINCE);

/** `maxRecipients` (a mail-level limit) came in nodemailer 9.1.0; older ones ignore it. */
export const HAS_MAX_RECIPIENTS = atLeast(NODEMAILER_VERSION, [9, 1, 0]);

/** nodemailer itself discards plaintext read behind the `220` to STARTTLS since 9.0.3. */
export const DISCARDS_INJECTION = atLeast(NODEMAILER_VERSION, STARTTLS_DISCARD_SINCE);
