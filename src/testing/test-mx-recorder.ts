import { ForcedTlsError } from '../errors/index.js';
import { stringList } from './check-arguments.js';
import type {
  TestMxAuthAttempt,
  TestMxHandshake,
  TestMxLogEntry,
  TestMxMessage,
  TestMxPhase,
} from './test-mx-types.js';
import type { TestMxTlsInfo } from './test-mx-upgrade.js';

/** Commands that must never travel in plaintext to a recipient that requires TLS. */
export const SENSITIVE_COMMANDS: readonly string[] = ['MAIL', 'RCPT', 'DATA', 'AUTH', 'BDAT'];

/** The upper-cased first word of a command line. */
export function commandVerb(line: string): string {
  return (line.trim().split(/\s+/, 1)[0] ?? '').split(':', 1)[0]!.toUpperCase();
}

/** Everything one test server observed, shared by all its connections. */
export class TestMxRecorder {
  readonly log: TestMxLogEntry[] = [];
  readonly messages: TestMxMessage[] = [];
  readonly auths: TestMxAuthAttempt[] = [];
  readonly handshakes: TestMxHandshake[] = [];
  connections = 0;

  message(
    connection: number,
    envelope: { readonly from: string | undefined; readonly to: readonly string[] },
    raw: Buffer,
    secure: boolean,
    tls: TestMxTlsInfo,
  ): void {
    this.messages.push({
      connection,
      from: envelope.from ?? '',
      to: [...envelope.to],
      data: raw.toString('utf8'),
      raw,
      secure,
      protocol: tls.protocol,
      cipher: tls.cipher,
      servername: tls.servername,
    });
  }

  line(connection: number, phase: TestMxPhase, line: string, data = false): void {
    this.log.push({ connection, phase, line, data });
  }

  /** Log entries of commands in `verbs` (default: MAIL, RCPT, DATA, AUTH, BDAT) received in plaintext. */
  receivedInPlaintext(verbs: readonly string[] = SENSITIVE_COMMANDS): TestMxLogEntry[] {
    stringList('verbs', verbs);
    const wanted = new Set(verbs.map((v) => v.toUpperCase()));
    // Message body lines count as DATA: a body in plaintext is the leak the check is about.
    return this.log.filter(
      (entry) =>
        entry.phase === 'plain' && (entry.data ? wanted.has('DATA') : wanted.has(commandVerb(entry.line))),
    );
  }

  commands(phase?: TestMxPhase): string[] {
    if (phase !== undefined && phase !== 'plain' && phase !== 'tls') {
      throw new ForcedTlsError('EPOLICY', "A test server phase is 'plain' or 'tls'", {
        path: 'phase',
        value: phase,
      });
    }
    return this.log
      .filter((entry) => !entry.data && (phase === undefined || entry.phase === phase))
      .map((entry) => commandVerb(entry.line));
  }
}
