import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/cli/report-error.js';
import { ForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { cli } from './helpers.js';

describe('forced-tls (dispatch, help, version, errors)', () => {
  it('prints the version with --version', async () => {
    const r = await cli(['--version']);
    expect(r).toEqual({ code: 0, stdout: '9.9.9-test\n', stderr: '' });
  });

  it('prints the overview with --help and to stderr (exit 1) without a command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['check', 'explain', 'whitelist', 'test-policy'])
      expect(help.stdout).toContain(`  ${name}`);
    const none = await cli([]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: forced-tls <command>');
  });

  it.each(['check', 'explain', 'whitelist', 'test-policy'])(
    'prints the help of %s with --help and help <cmd>',
    async (name) => {
      const a = await cli([name, '--help']);
      expect(a.code).toBe(0);
      expect(a.stdout).toMatch(new RegExp(`^Usage: forced-tls ${name}`));
      const b = await cli(['help', name]);
      expect(b.stdout).toBe(a.stdout);
    },
  );

  it('refuses an unknown command or option with one EUSAGE line', async () => {
    const a = await cli(['frobnicate']);
    expect(a).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error EUSAGE: unknown command "frobnicate" (see: forced-tls --help)\n',
    });
    const b = await cli(['explain', '--polcy', 'x.json', 'a@b.example']);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe("error EUSAGE: Unknown option '--polcy' (see: forced-tls explain --help)\n");
  });

  it('names the code of library, CLI, system and unknown errors', () => {
    expect(describeError(new ForcedTlsError('EPOLICY', 'bad\nfield'))).toEqual({
      code: 'EPOLICY',
      message: 'bad field',
    });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {
      code: 'ENOENT',
    });
    expect(describeError(enoent)).toEqual({ code: 'ENOENT', message: "no such file or directory, open 'x'" });
    expect(describeError(new TypeError('boom'))).toEqual({ code: 'EINTERNAL', message: 'TypeError: boom' });
    expect(describeError('text')).toEqual({ code: 'EINTERNAL', message: 'text' });
  });

  it('prints the stack trace only with --debug', async () => {
    const plain = await cli(['explain', '--policy', 'missing.json', 'a@b.example']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(
      'error ENOENT: cannot read policy file missing.json: no such file or directory\n',
    );
    const debug = await cli(['explain', '--debug', '--policy', 'missing.json', 'a@b.example']);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trim());
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
