import { describe, expect, it } from 'vitest';
import { isMxPattern, MAX_MTA_STS_MAX_AGE, parseMtaStsPolicy } from '../../src/mta-sts/index.js';

const policy = (...lines: string[]) => `${lines.join('\n')}\n`;
const base = ['version: STSv1', 'mode: enforce', 'mx: mx1.mandant.test', 'max_age: 604800'];

describe('parseMtaStsPolicy (RFC 8461 §3.2)', () => {
  it('parses an enforce policy with every field, keeping the lines for TLS-RPT', () => {
    const text = policy(
      'version: STSv1',
      'mode: enforce',
      'mx: mx1.mandant.test',
      'mx: *.mx.mandant.test',
      'max_age: 604800',
    );
    expect(parseMtaStsPolicy(text)).toEqual({
      status: 'valid',
      policy: {
        version: 'STSv1',
        mode: 'enforce',
        maxAge: 604800,
        mx: ['mx1.mandant.test', '*.mx.mandant.test'],
        lines: [
          'version: STSv1',
          'mode: enforce',
          'mx: mx1.mandant.test',
          'mx: *.mx.mandant.test',
          'max_age: 604800',
        ],
      },
    });
  });

  it.each(['enforce', 'testing', 'none'] as const)('mode %s', (mode) => {
    const parsed = parseMtaStsPolicy(
      policy('version: STSv1', `mode: ${mode}`, 'mx: mx.mandant.test', 'max_age: 86400'),
    );
    expect(parsed).toMatchObject({ status: 'valid', policy: { mode } });
  });

  it('mode none needs no mx line; enforce and testing do', () => {
    expect(parseMtaStsPolicy(policy('version: STSv1', 'mode: none', 'max_age: 86400'))).toMatchObject({
      status: 'valid',
      policy: { mode: 'none', mx: [] },
    });
    for (const mode of ['enforce', 'testing']) {
      expect(parseMtaStsPolicy(policy('version: STSv1', `mode: ${mode}`, 'max_age: 86400'))).toMatchObject({
        status: 'invalid',
        field: 'mx',
      });
    }
  });

  it('CRLF and LF line ends, and a last line without a line end', () => {
    const crlf = `${base.join('\r\n')}\r\n`;
    const bare = base.join('\n');
    const mixed = `${base[0]}\r\n${base[1]}\n${base[2]}\r\n${base[3]}`;
    for (const text of [crlf, bare, mixed]) {
      expect(parseMtaStsPolicy(text)).toMatchObject({
        status: 'valid',
        policy: { mode: 'enforce', maxAge: 604800 },
      });
    }
  });

  it('fields in any order, spaces or tabs after the colon and at the end of a line, empty lines', () => {
    const text = 'max_age:604800 \n\nmx:\t*.mandant.test\t\nmode:  testing\nversion: STSv1\n\n';
    expect(parseMtaStsPolicy(text)).toMatchObject({
      status: 'valid',
      policy: { mode: 'testing', maxAge: 604800, mx: ['*.mandant.test'] },
    });
  });

  it('ignores unknown well-formed fields, UTF-8 values included', () => {
    const text = policy(...base, 'x-report: https://mandant.test/tlsrpt', 'comment.1: Grüße aus Köln');
    expect(parseMtaStsPolicy(text)).toMatchObject({ status: 'valid', policy: { mode: 'enforce' } });
  });

  it('lowercases mx patterns and drops duplicates', () => {
    const parsed = parseMtaStsPolicy(policy(...base, 'mx: MX1.Mandant.TEST', 'mx: *.Backup.mandant.test'));
    expect(parsed).toMatchObject({ policy: { mx: ['mx1.mandant.test', '*.backup.mandant.test'] } });
  });

  it('max_age 0 and 31557600 are valid; 31557601 is not', () => {
    const withAge = (age: string) =>
      policy('version: STSv1', 'mode: enforce', 'mx: mx.mandant.test', `max_age: ${age}`);
    expect(parseMtaStsPolicy(withAge('0'))).toMatchObject({ status: 'valid', policy: { maxAge: 0 } });
    expect(parseMtaStsPolicy(withAge(String(MAX_MTA_STS_MAX_AGE)))).toMatchObject({
      status: 'valid',
      policy: { maxAge: 31557600 },
    });
    expect(parseMtaStsPolicy(withAge('31557601'))).toMatchObject({
      status: 'invalid',
      field: 'max_age',
      line: 4,
    });
  });

  it.each(['-1', '1.5', '1e3', '', ' ', 'week', '0x10', '12345678901', '+5'])(
    'max_age %j is invalid',
    (age) => {
      const text = policy('version: STSv1', 'mode: enforce', 'mx: mx.mandant.test', `max_age: ${age}`);
      expect(parseMtaStsPolicy(text)).toMatchObject({ status: 'invalid', field: 'max_age' });
    },
  );

  it.each([
    ['version', 'version: STSv2'],
    ['version', 'version: stsv1'],
    ['mode', 'mode: Enforce'],
    ['mode', 'mode: reject'],
    ['mode', 'mode:'],
  ])('a wrong %s value makes the policy invalid (%s)', (field, line) => {
    const lines = base.map((l) => (l.startsWith(`${field}:`) ? line : l));
    expect(parseMtaStsPolicy(policy(...lines))).toMatchObject({
      status: 'invalid',
      field,
      line: lines.indexOf(line) + 1,
    });
  });

  it.each(['version', 'mode', 'max_age'])('a missing %s field makes it invalid', (field) => {
    const lines = base.filter((l) => !l.startsWith(`${field}:`));
    expect(parseMtaStsPolicy(policy(...lines))).toMatchObject({ status: 'invalid', field });
  });

  it.each(['version: STSv1', 'mode: testing', 'max_age: 60'])(
    'a repeated field makes it invalid (%s)',
    (line) => {
      expect(parseMtaStsPolicy(policy(...base, line))).toMatchObject({ status: 'invalid', line: 5 });
    },
  );

  it.each([
    'mx: *.*.mandant.test',
    'mx: a.*.mandant.test',
    'mx: *mandant.test',
    'mx: *.',
    'mx: *',
    'mx: mx.mandant.test.',
    'mx: mx..mandant.test',
    'mx: -mx.mandant.test',
    'mx: mx_1.mandant.test',
    'mx: mx.müller.de',
    'mx: mx.mandant.test mx2.mandant.test',
    'mx: 192.0.2.1:25',
    'mx:',
  ])('an invalid mx pattern makes the policy invalid (%s)', (line) => {
    expect(parseMtaStsPolicy(policy(...base, line))).toMatchObject({
      status: 'invalid',
      field: 'mx',
      line: 5,
    });
  });

  it.each([
    ['a line that is no field', 'just some text'],
    ['leading spaces', ' mode: enforce'],
    ['a comment line', '# comment'],
    ['an empty extension value', 'x-ext:'],
    ['a control character in a value', 'x-ext: a\u0007b'],
    ['a carriage return inside a line', 'x-ext: a\rb'],
    ['a field name of 33 characters', `${'a'.repeat(33)}: x`],
  ])('%s makes it invalid', (_why, line) => {
    expect(parseMtaStsPolicy(policy(...base, line))).toMatchObject({ status: 'invalid', line: 5 });
  });

  it('case-sensitive field names: "MX:" is an unknown field, so enforce lacks mx', () => {
    const text = policy('version: STSv1', 'mode: enforce', 'MX: mx.mandant.test', 'max_age: 86400');
    expect(parseMtaStsPolicy(text)).toMatchObject({ status: 'invalid', field: 'mx' });
  });

  it('an empty body and an HTML page are invalid', () => {
    expect(parseMtaStsPolicy('')).toMatchObject({ status: 'invalid', field: 'version' });
    expect(parseMtaStsPolicy('<html><body>Welcome</body></html>')).toMatchObject({
      status: 'invalid',
      line: 1,
    });
  });

  it('returns frozen data', () => {
    const parsed = parseMtaStsPolicy(policy(...base));
    if (parsed.status !== 'valid') throw new Error('expected a valid policy');
    expect(Object.isFrozen(parsed.policy)).toBe(true);
    expect(Object.isFrozen(parsed.policy.mx)).toBe(true);
  });
});

describe('isMxPattern', () => {
  it.each(['mx.mandant.test', '*.mandant.test', 'localhost', 'xn--mller-kva.de', '*.a.b.c'])(
    '%s is a pattern',
    (p) => expect(isMxPattern(p)).toBe(true),
  );
  it.each(['', '*', '*.', 'MX.mandant.test', 'a.*.b', '**.a', 'a..b', 'a.', `${'a'.repeat(64)}.de`])(
    '%j is not',
    (p) => expect(isMxPattern(p)).toBe(false),
  );
});
