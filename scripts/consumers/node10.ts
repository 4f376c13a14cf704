// A TypeScript consumer compiled with `module: commonjs`, which implies `moduleResolution: node10`:
// no `exports` map is read, so every subpath resolves through `typesVersions`. Type-checked, not run.
import { createPolicy, isForcedTlsError, type RecipientFailure, whitelistHint } from 'forced-tls';
import { createInboundGuard } from 'forced-tls/inbound';
import { type ForcedTlsSentMessageInfo, forceTls } from 'forced-tls/nodemailer';
import pkg from 'forced-tls/package.json';
import schema from 'forced-tls/policy.schema.json';
import { createProber } from 'forced-tls/probe';
import { createTestCa } from 'forced-tls/testing';
import nodemailer from 'nodemailer';

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const secured = forceTls(nodemailer.createTransport({ host: 'smtp.kanzlei.test', port: 587 }), {
  policy,
  recipientProtection: 'trust-relay',
});

// The README's error handling, without a non-null assertion.
export function hints(failures: readonly RecipientFailure[]): string[] {
  return failures.flatMap((r) => (r.mayWhitelist ? [whitelistHint('de', r.whitelistRequest.value)] : []));
}

// nodemailer's per-recipient fields on rejectedErrors.
export function rejections(info: ForcedTlsSentMessageInfo): string[] {
  return info.rejectedErrors.map(
    (e) =>
      `${e.recipient} ${e.code} ${e.command ?? '-'} ${e.responseCode ?? '-'} ${e.permanent} ${e.response ?? ''}`,
  );
}

export async function send(): Promise<string[]> {
  try {
    return rejections(await secured.sendMail({ from: 'a@kanzlei.test', to: 'b@mandant.test', text: 'x' }));
  } catch (error) {
    if (isForcedTlsError(error)) return hints(error.recipients);
    throw error;
  }
}

export const parts = [createInboundGuard, createProber, createTestCa, schema.$schema, pkg.version] as const;
