// The nodemailer types behind forced-tls's own resolve with the app's nodemailer (bundled types
// since 10, @types/nodemailer before): each assignment below would compile, and so leave its
// expect-error directive unused, if the type behind it had silently become `any`.
import type { ForcedTlsTransport, RelayTransportOptions } from 'forced-tls/nodemailer';

// @ts-expect-error auth is nodemailer's SMTP authentication type, not a number
export const auth: RelayTransportOptions['auth'] = 42;

// @ts-expect-error send() takes nodemailer's mail message, not a number
export const send = (transport: ForcedTlsTransport) => transport.send(42, () => {});

// @ts-expect-error mailer is nodemailer's transporter (Mail), not a string
export const mailer: ForcedTlsTransport['mailer'] = 'x';
