/** The `--help` text of `forced-tls check`. */
export const CHECK_HELP = `Usage: forced-tls check [options] <domain...>

Checks the TLS of each domain's mail servers the way a sender meets them: MX lookup, then per MX
host connect, EHLO, STARTTLS, handshake, certificate check, QUIT. Never sends MAIL FROM.
Shows per domain its MTA-STS policy and the DNSSEC status of its MX records, per MX host the BSI
TR-02102-2 profile, MTA-STS, DANE and the tier, and the best tier a sender can count on.
Arguments may also be addresses (user@domain): their domain is checked.

Options:
  --level <level>       the level every domain must satisfy: may, encrypt (default), verify,
                        fingerprint, qualified, dane, dane-only; always with what the recipient
                        publishes (DANE, MTA-STS enforce) on top
  --fingerprint <sha256>  a pinned certificate fingerprint, for --level fingerprint (required
                        there) and qualified (repeatable)
  --dnssec-server <ip:port>  a DNSSEC-validating resolver on loopback for DANE (repeatable);
                        without it DANE is not checked (required for --level dane, dane-only)
  --no-mta-sts          do not look up the domains' MTA-STS policies
  --no-bsi-profile      offer Node's default TLS settings, not the BSI profile first
  --file <file>         read domains (or addresses) from a file, one per line, # comments
  --json                print JSON instead of text
  --compact             one line per domain: failures and unknowns as soon as they are known,
                        then the domains that pass, then the summary (for long lists)
  --port <port>         SMTP port (default 25)
  --ehlo-name <name>    the name sent with EHLO (default: this host's FQDN or address literal)
  --timeout <ms>        deadline of each step: connect, greeting, reply, handshake, each DNS and
                        DNSSEC lookup, the MTA-STS TXT lookup and policy fetch (default: 10000,
                        greeting 20000, policy fetch 30000, DNSSEC lookup 5000)
  --concurrency <n>     connections open at once, across all domains (default 8)
  --ca <file.pem>       also trust these CA certificates (added to the system store)
  --dns-fixture <file>  answer DNS from a JSON file and connect where it says (offline tests)
  --progress            show progress on stderr also when it is not a terminal
  --debug               print stack traces with errors
  -h, --help            show this help

Exit codes: 0 every domain satisfies the level, 2 some domain does not, 3 some domain could not
be checked (DNS failure, unreachable) and none failed, 1 usage or internal error.
`;
