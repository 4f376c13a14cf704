// What the transport benchmarks share: an smtp-server sink on 127.0.0.1 (STARTTLS, a certificate
// from the bench CA), a throughput run of concurrent sends, and paired rounds in alternating order.
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createTestCa } from '../src/testing/test-ca.js';

/** Paired rounds per comparison. */
export const ROUNDS = 7;
/** The CA of every bench certificate. */
export const ca = createTestCa({ commonName: 'forced-tls bench CA' });

export interface Sink {
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** An smtp-server sink for `name`; `cert` is its certificate (PEM), for TLSA records. */
export async function sink(name: string): Promise<Sink & { readonly cert: string }> {
  const { key, cert } = ca.issue({ names: [name] });
  const server = new SMTPServer({
    key,
    cert,
    minVersion: 'TLSv1.2',
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.on('end', () => callback()).resume();
    },
  });
  server.on('error', () => {});
  let accepted = 0;
  server.server.on('connection', () => accepted++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    cert,
    connections: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Messages per second for `count` concurrent sends. */
export async function rate(
  transporter: Transporter<unknown>,
  recipients: (i: number) => string,
  count: number,
) {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      transporter.sendMail({
        from: 'kanzlei@kanzlei.test',
        to: recipients(i),
        subject: `Nr. ${i}`,
        text: 'Vertraulich.',
      }),
    ),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const wrap = (transport: unknown) =>
  nodemailer.createTransport(
    transport as Parameters<typeof nodemailer.createTransport>[0],
  ) as Transporter<unknown>;

/**
 * Runs both sides round after round (one warm-up each) and prints their medians and the median
 * ratio `ours / bare` against `target`; `names` label the two sides.
 */
export async function compare(
  label: string,
  target: number,
  sides: Record<'ours' | 'bare', () => Promise<number>>,
  names: Record<'ours' | 'bare', string> = { ours: 'forced-tls', bare: 'bare nodemailer' },
  rounds = ROUNDS,
) {
  const ours: number[] = [];
  const bare: number[] = [];
  const ratios: number[] = [];
  // One warm-up round per side (JIT, TLS session setup), not counted.
  await sides.bare();
  await sides.ours();
  for (let round = 0; round < rounds; round++) {
    // Paired rounds in alternating order: a neighbour's load burst hits both sides of a pair alike.
    const first = round % 2 === 0 ? 'bare' : 'ours';
    const a = await sides[first]();
    const b = await sides[first === 'bare' ? 'ours' : 'bare']();
    const [o, n] = first === 'bare' ? [b, a] : [a, b];
    ours.push(o);
    bare.push(n);
    ratios.push(o / n);
  }
  const ratio = median(ratios);
  console.log(
    `${label}: ${names.ours} ${median(ours).toFixed(0)} msg/s, ${names.bare} ${median(bare).toFixed(0)} msg/s, ` +
      `ratio ${ratio.toFixed(2)}× (median of ${rounds} paired rounds; target ≥ ${target}×) ` +
      (ratio >= target ? 'ok' : 'BELOW TARGET'),
  );
}
