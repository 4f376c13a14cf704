import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { ForcedTlsError, RecipientFailure } from '../../src/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { createTestNetwork } from '../../src/testing/index.js';
import type { ForcedTlsSentMessageInfo, RejectedRecipientError } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';

const fixtures = directFixtures();
afterEach(fixtures.runCleanup);

describe('the types of sendMail’s result match what it carries at runtime', () => {
  it('rejectedErrors entries have nodemailer’s recipient, command, response, responseCode, permanent', async () => {
    expectTypeOf<
      ForcedTlsSentMessageInfo['rejectedErrors'][number]
    >().toEqualTypeOf<RejectedRecipientError>();
    expectTypeOf<RejectedRecipientError>().toExtend<ForcedTlsError>();
    expectTypeOf<RejectedRecipientError['recipient']>().toEqualTypeOf<string>();
    expectTypeOf<RejectedRecipientError['command']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RejectedRecipientError['response']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RejectedRecipientError['responseCode']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RejectedRecipientError['permanent']>().toEqualTypeOf<boolean>();
    expectTypeOf<RejectedRecipientError['recipients'][number]>().toEqualTypeOf<RecipientFailure>();

    const server = await mx('mx.mandant.test', {
      rcptResponse: (address) => (address.startsWith('weg') ? '550 5.1.1 No such user\r\n' : undefined),
    });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': server },
    });
    const policy = createPolicy({ outbound: { default: 'encrypt' } });
    const info = await fixtures.direct(network, policy).send(['weg@mandant.test', 'da@mandant.test']);
    const [error] = info.rejectedErrors;
    // Read through the declared type: no cast, and the values are there.
    const fields = error && {
      recipient: error.recipient,
      command: error.command,
      response: error.response,
      responseCode: error.responseCode,
      permanent: error.permanent,
      code: error.code,
    };
    expect(fields).toEqual({
      recipient: 'weg@mandant.test',
      command: 'RCPT TO',
      response: '550 5.1.1 No such user',
      responseCode: 550,
      permanent: true,
      code: 'EREJECTED',
    });
  });
});
