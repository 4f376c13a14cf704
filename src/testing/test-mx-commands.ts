import type { ResolvedTestMxOptions } from './test-mx-options.js';
import { commandVerb, type TestMxRecorder } from './test-mx-recorder.js';
import type { TestMxPhase, TestMxReplyPoint } from './test-mx-types.js';

/** What the command handlers may do with a connection. */
export interface TestMxSessionControl {
  readonly id: number;
  readonly phase: TestMxPhase;
  readonly options: ResolvedTestMxOptions;
  readonly recorder: TestMxRecorder;
  readonly envelope: { from: string | undefined; to: string[] };
  send(raw: string): void;
  /** Names the reply the next `send` produces (for the `dribble` option). */
  replying(point: TestMxReplyPoint | undefined): void;
  stall(): void;
  close(afterSending?: string): void;
  /** Sends `reply` and then does what `afterStarttls` says. */
  startTls(reply: string): void;
  beginData(): void;
  /** Reads `lines` more client lines as AUTH continuation, then answers `235`. */
  beginAuth(lines: number): void;
}

function extensionReply(name: string, lines: readonly string[]): string {
  const all = [name, ...lines];
  return all.map((line, i) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

function pathOf(line: string): string {
  const match = /<([^>]*)>/.exec(line);
  return match?.[1] ?? line.slice(line.indexOf(':') + 1).trim();
}

const LOGIN_PROMPTS = 2;

/** The default behaviour for one command line (`verb` is upper-cased). */
export function handleCommand(session: TestMxSessionControl, verb: string, line: string): void {
  const { options, phase } = session;
  const raw = options.raw;
  switch (verb) {
    case 'EHLO': {
      if (options.raw.stallAt === (phase === 'plain' ? 'ehlo' : 'ehlo-tls')) {
        session.stall();
        return;
      }
      const override = phase === 'plain' ? raw.ehloResponse : raw.ehloResponseTls;
      const caps = phase === 'plain' ? options.capabilities : options.capabilitiesTls;
      session.send(override ?? extensionReply(options.name, caps));
      return;
    }
    case 'HELO':
      session.send(`250 ${options.name}\r\n`);
      return;
    case 'STARTTLS':
      if (raw.stallAt === 'starttls') {
        session.stall();
        return;
      }
      if (phase === 'tls') {
        session.send('503 5.5.1 TLS already active\r\n');
        return;
      }
      if (!options.starttlsTransition) {
        session.send(options.starttlsResponse);
        return;
      }
      session.startTls(options.starttlsResponse);
      return;
    case 'MAIL':
      session.envelope.from = pathOf(line);
      session.envelope.to = [];
      session.send(raw.mailResponse ?? '250 2.1.0 Ok\r\n');
      return;
    case 'RCPT': {
      const address = pathOf(line);
      const reply = raw.rcptResponse?.(address) ?? '250 2.1.5 Ok\r\n';
      if (reply.startsWith('2')) session.envelope.to.push(address);
      session.send(reply);
      return;
    }
    case 'DATA':
      if (session.envelope.from === undefined || session.envelope.to.length === 0) {
        session.send('503 5.5.1 Error: need MAIL and RCPT first\r\n');
        return;
      }
      if (raw.stallAt === 'data') {
        session.stall();
        return;
      }
      session.beginData();
      session.send('354 End data with <CR><LF>.<CR><LF>\r\n');
      return;
    case 'AUTH': {
      const [, mechanism = '', initial] = line.trim().split(/\s+/);
      session.recorder.auths.push({ connection: session.id, phase, mechanism: mechanism.toUpperCase() });
      if (mechanism.toUpperCase() === 'LOGIN') {
        session.beginAuth(initial === undefined ? LOGIN_PROMPTS : LOGIN_PROMPTS - 1);
        session.send(initial === undefined ? '334 VXNlcm5hbWU6\r\n' : '334 UGFzc3dvcmQ6\r\n');
        return;
      }
      if (initial === undefined) {
        session.beginAuth(1);
        session.send('334 \r\n');
        return;
      }
      session.send('235 2.7.0 Authentication successful\r\n');
      return;
    }
    case 'RSET':
      session.envelope.from = undefined;
      session.envelope.to = [];
      session.send('250 2.0.0 Ok\r\n');
      return;
    case 'NOOP':
      session.send('250 2.0.0 Ok\r\n');
      return;
    case 'QUIT':
      session.close('221 2.0.0 Bye\r\n');
      return;
    default:
      session.send('502 5.5.2 Error: command not recognized\r\n');
      return;
  }
}

const REPLY_POINTS: Readonly<Record<string, TestMxReplyPoint>> = {
  STARTTLS: 'starttls',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
};

/** Runs the `onCommand` hook, then the default behaviour unless the hook answered. */
export function dispatchCommand(session: TestMxSessionControl, line: string): void {
  const verb = commandVerb(line);
  const ehlo = session.phase === 'plain' ? 'ehlo' : 'ehlo-tls';
  session.replying(verb === 'EHLO' || verb === 'HELO' ? ehlo : REPLY_POINTS[verb]);
  const hooked = session.options.raw.onCommand?.({
    connection: session.id,
    phase: session.phase,
    line,
    verb,
  });
  if (hooked === undefined) {
    handleCommand(session, verb, line);
    return;
  }
  if (typeof hooked === 'string') {
    session.send(hooked);
    return;
  }
  if (hooked.reply !== undefined) session.send(hooked.reply);
  if (hooked.after === 'close') session.close();
  else if (hooked.after === 'stall') session.stall();
}
