import { describe, expect, it } from 'vitest';
import { directHarnesses, FROM, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const started = directHarnesses();
const harness = () => started({});

describe('bad recipient input gets a clear error and loses nothing', () => {
  it.each([
    [{ to: ['foo', 'b@mandant.test'] }, 'to', 'foo'],
    [{ to: 'b@mandant.test, Foo Bar' }, 'to', 'Foo Bar'],
    [{ to: 'b@mandant.test', cc: [{ name: 'Kanzlei', address: 'kanzlei' }] }, 'cc', 'kanzlei'],
    [{ to: 'b@mandant.test', bcc: 'x@' }, 'bcc', 'x@'],
    [{ to: 'Team: b@mandant.test, nobody;' }, 'to', 'nobody'],
    [{ to: 'b@mandant.test', envelope: { from: FROM, to: ['b@mandant.test', 'foo'] } }, 'envelope.to', 'foo'],
  ])('%j → EADDRESS naming %s "%s", nothing sent', async (fields, path, value) => {
    const h = await harness();
    const error = await refusal(h.transporter.sendMail({ from: FROM, text: 'Vertraulich.', ...fields }));
    expect(error).toMatchObject({ code: 'EADDRESS', path, value });
    expect(error.message).toContain(value);
    expect(h.mx.connections).toBe(0);
  });

  it('an empty group (Undisclosed recipients) is not an error', async () => {
    const h = await harness();
    const info = await h.transporter.sendMail({
      from: FROM,
      to: 'Undisclosed recipients:;',
      bcc: 'b@mandant.test',
      text: 'Vertraulich.',
    });
    expect(info.accepted).toEqual(['b@mandant.test']);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
