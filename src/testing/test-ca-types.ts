/** A certificate and its private key, PEM encoded. */
export interface TestCertificate {
  /** The private key (PEM), for the server. */
  readonly key: string;
  /** The certificate (PEM), for the server. */
  readonly cert: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:…`), for `fingerprint` rules. */
  readonly fingerprint256: string;
}

/** Options for one leaf certificate. */
export interface TestCertificateOptions {
  /** DNS names (subjectAltName); the first is also the common name. Empty: no subjectAltName. */
  readonly names: readonly string[];
  /** The subject's common name. @default the first of `names`, else `localhost` */
  readonly commonName?: string;
  /** @default one day before now */
  readonly notBefore?: Date;
  /** @default 30 days after now */
  readonly notAfter?: Date;
  /** RSA modulus length of the leaf key (one key per size and process). @default 2048 */
  readonly keyBits?: number;
  /**
   * Put the first name only in the subject's common name, with no subjectAltName: the CN-only
   * certificate RFC 6125 deprecates and MTA-STS does not accept. @default false
   */
  readonly commonNameOnly?: boolean;
}

/** A throw-away certificate authority for tests. Never use it outside tests. */
export interface TestCa {
  /** The CA certificate: pass it as `ca` to trust certificates it issued. */
  readonly cert: string;
  /** The CA's private key (PEM). */
  readonly key: string;
  /** Issues a server certificate for the given names (valid for 30 days unless told otherwise). */
  issue(options: TestCertificateOptions): TestCertificate;
}
