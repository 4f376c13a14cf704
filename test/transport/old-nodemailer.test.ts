import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa, startTestMx, type TestMx } from '../../src/testing/index.js';
import { createRelayTransport, forceTls } from '../../src/transport/index.js';
import { HAS_REQUIRETLS, NODEMAILER_VERSION } from '../support/nodemailer-features.js';
import { directHarnesses, FROM } from '../support/transport-harness.js';

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const harness = directHarnesses();
const servers: TestMx[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const unsupported = expect.objectContaining({
  code: 'EUNSUPPORTED',
  message: expect.stringContaining(
    `needs nodemailer 7.0.12 or newer; this is nodemailer ${NODEMAILER_VERSION}`,
  ),
});

// Runs in the nodemailer matrix (scripts/nodemailer-matrix.mjs) on 6.9, which has no REQUIRETLS.
describe.skipIf(HAS_REQUIRETLS)(
  `nodemailer ${NODEMAILER_VERSION}: REQUIRETLS is refused, never dropped`,
  () => {
    it("createRelayTransport refuses recipientProtection 'requiretls' at construction", () => {
      expect(() =>
        createRelayTransport({ policy, host: 'relay.kanzlei.test', recipientProtection: 'requiretls' }),
      ).toThrow(unsupported);
    });

    it("forceTls refuses recipientProtection 'requiretls' at construction", () => {
      const existing = nodemailer.createTransport({ host: 'relay.kanzlei.test', port: 587 });
      expect(() => forceTls(existing, { policy, recipientProtection: 'requiretls' })).toThrow(unsupported);
      existing.close();
    });

    it('a message with requireTLSExtensionEnabled is refused before any connection', async () => {
      const h = await harness({ requireTls: true });
      await expect(
        h.transporter.sendMail({
          from: FROM,
          to: 'client@mandant.test',
          text: 'x',
          requireTLSExtensionEnabled: true,
        }),
      ).rejects.toEqual(unsupported);
      expect(h.mx.connections).toBe(0);
    });

    it('other options still work: trust-relay delivers over TLS', async () => {
      const mx = await startTestMx({ name: 'relay.kanzlei.test' });
      servers.push(mx);
      const transporter = nodemailer.createTransport(
        createRelayTransport({
          policy,
          host: 'relay.kanzlei.test',
          tls: { ca: defaultTestCa().cert },
          recipientProtection: 'trust-relay',
          connect: () => ({ host: mx.host, port: mx.port }),
        }),
      );
      const info = await transporter.sendMail({ from: FROM, to: 'client@mandant.test', text: 'x' });
      expect(info.accepted).toEqual(['client@mandant.test']);
      expect(mx.messages[0]?.secure).toBe(true);
      transporter.close();
    });
  },
);
