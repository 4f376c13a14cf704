import { ERROR_CODES, isErrorCode, type RecipientCode } from './codes.js';
import { describeValue } from './describe-value.js';
import { ForcedTlsError } from './forced-tls-error.js';

/** Languages of the user-facing messages. */
export type MessageLanguage = 'de' | 'en';

type Template = (domain: string) => string;

// Short texts for a host application's UI. They never quote server replies (those may come from an
// attacker before TLS); they name only the recipient's domain, which the user typed.
const MESSAGES: Readonly<Record<RecipientCode, Readonly<Record<MessageLanguage, Template>>>> = {
  ENOSTARTTLS: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} unterstützt keine Verschlüsselung (TLS).`,
    en: (d) => `Not delivered: the mail server of ${d} does not support encryption (TLS).`,
  },
  ESTARTTLSREFUSED: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} hat die Verschlüsselung (TLS) abgelehnt.`,
    en: (d) => `Not delivered: the mail server of ${d} refused encryption (TLS).`,
  },
  EHANDSHAKE: {
    de: (d) => `Nicht zugestellt: Die verschlüsselte Verbindung zu ${d} kam nicht zustande.`,
    en: (d) => `Not delivered: the encrypted connection to ${d} could not be established.`,
  },
  ETLSVERSION: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} verwendet nur eine veraltete TLS-Version.`,
    en: (d) => `Not delivered: the mail server of ${d} only offers an outdated TLS version.`,
  },
  ECERTUNTRUSTED: {
    de: (d) => `Nicht zugestellt: Das Zertifikat des Mailservers von ${d} ist nicht vertrauenswürdig.`,
    en: (d) => `Not delivered: the certificate of the mail server of ${d} is not trusted.`,
  },
  ECERTNAME: {
    de: (d) => `Nicht zugestellt: Das Zertifikat des Mailservers von ${d} passt nicht zum Servernamen.`,
    en: (d) => `Not delivered: the certificate of the mail server of ${d} does not match its name.`,
  },
  ECERTEXPIRED: {
    de: (d) => `Nicht zugestellt: Das Zertifikat des Mailservers von ${d} ist abgelaufen.`,
    en: (d) => `Not delivered: the certificate of the mail server of ${d} has expired.`,
  },
  EFINGERPRINT: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} weist nicht das vereinbarte Zertifikat vor.`,
    en: (d) => `Not delivered: the mail server of ${d} did not present the agreed certificate.`,
  },
  EREQUIRETLS: {
    de: () =>
      'Nicht zugestellt: Der Versandserver kann die Verschlüsselung bis zum Empfänger nicht zusichern.',
    en: () => 'Not delivered: the relay cannot guarantee encryption up to the recipient.',
  },
  ENOTQUALIFIED: {
    de: (d) =>
      `Nicht zugestellt: Die Verbindung zum Mailserver von ${d} erfüllt nicht die Anforderungen an eine qualifizierte Transportverschlüsselung (BSI TR-02102-2, authentisierter Server).`,
    en: (d) =>
      `Not delivered: the connection to the mail server of ${d} does not meet qualified transport encryption (BSI TR-02102-2, authenticated server).`,
  },
  ERECIPIENTTLS: {
    de: (d) => `Nicht zugestellt: Die TLS-Prüfung des Mailservers von ${d} ist fehlgeschlagen.`,
    en: (d) => `Not delivered: the TLS check of the mail server of ${d} failed.`,
  },
  EDANEMISMATCH: {
    de: (d) =>
      `Nicht zugestellt: Das Zertifikat des Mailservers von ${d} passt nicht zu seinem DANE-Eintrag (TLSA).`,
    en: (d) =>
      `Not delivered: the certificate of the mail server of ${d} does not match its DANE (TLSA) record.`,
  },
  EDANEREQUIRED: {
    de: (d) =>
      `Nicht zugestellt: Für den Mailserver von ${d} ist DANE vorgeschrieben, aber kein gültiger TLSA-Eintrag vorhanden.`,
    en: (d) =>
      `Not delivered: DANE is required for the mail server of ${d}, but it has no valid TLSA record.`,
  },
  EDNSSEC: {
    de: (d) =>
      `Nicht zugestellt: Die DNSSEC-Prüfung für den Mailserver von ${d} ist fehlgeschlagen; später erneut versuchen.`,
    en: (d) => `Not delivered: the DNSSEC check for the mail server of ${d} failed; try again later.`,
  },
  EMTASTS: {
    de: (d) =>
      `Nicht zugestellt: Der Mailserver von ${d} erfüllt die von ${d} veröffentlichte MTA-STS-Richtlinie nicht; die Zustellung wird später erneut versucht.`,
    en: (d) =>
      `Not delivered: the mail server of ${d} does not meet the MTA-STS policy ${d} publishes; delivery will be retried later.`,
  },
  ECONNECT: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} ist nicht erreichbar.`,
    en: (d) => `Not delivered: the mail server of ${d} could not be reached.`,
  },
  ETIMEOUT: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} hat nicht rechtzeitig geantwortet.`,
    en: (d) => `Not delivered: the mail server of ${d} did not answer in time.`,
  },
  ENOMX: {
    de: (d) => `Nicht zugestellt: Für ${d} ist kein Mailserver bekannt.`,
    en: (d) => `Not delivered: no mail server is known for ${d}.`,
  },
  ENULLMX: {
    de: (d) => `Nicht zugestellt: ${d} nimmt keine E-Mails an.`,
    en: (d) => `Not delivered: ${d} does not accept e-mail.`,
  },
  EPROTOCOL: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} hat unerwartet geantwortet.`,
    en: (d) => `Not delivered: the mail server of ${d} answered unexpectedly.`,
  },
  EREJECTED: {
    de: (d) => `Nicht zugestellt: Der Mailserver von ${d} hat die Nachricht abgewiesen.`,
    en: (d) => `Not delivered: the mail server of ${d} rejected the message.`,
  },
};

const WHITELIST_HINT: Readonly<Record<MessageLanguage, Template>> = {
  de: (v) => `Unverschlüsselt senden? Bitten Sie Ihre Administration, ${v} freizugeben (Whitelist).`,
  en: (v) => `Send unencrypted? Ask your administrator to whitelist ${v}.`,
};

/**
 * A short sentence for the host application's UI explaining a refusal.
 *
 * @example
 * ```ts
 * userMessage('ENOSTARTTLS', 'de', 'mandant-gmbh.de');
 * // 'Nicht zugestellt: Der Mailserver von mandant-gmbh.de unterstützt keine Verschlüsselung (TLS).'
 * ```
 */
export function userMessage(code: RecipientCode, language: MessageLanguage, domain: string): string {
  if (!isErrorCode(code) || ERROR_CODES[code].category !== 'recipient') {
    throw refuse('EPOLICY', 'code', code, 'must be a recipient code of ERROR_CODES');
  }
  return MESSAGES[code][checkLanguage(language)](checkText('domain', domain));
}

/** The "may whitelist" hint shown next to a refusal whose `mayWhitelist` is true. */
export function whitelistHint(language: MessageLanguage, value: string): string {
  return WHITELIST_HINT[checkLanguage(language)](checkText('value', value));
}

function refuse(code: 'EPOLICY' | 'EADDRESS', path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError(code, `Invalid ${path} ${describeValue(value)}: ${why}`, { path, value });
}

function checkLanguage(language: unknown): MessageLanguage {
  if (language !== 'de' && language !== 'en')
    throw refuse('EPOLICY', 'language', language, "must be 'de' or 'en'");
  return language;
}

function checkText(path: string, value: unknown): string {
  if (typeof value !== 'string') throw refuse('EADDRESS', path, value, 'must be a string');
  return value;
}
