// @ts-check
// A plain CommonJS consumer type-checked with `checkJs` (what an editor shows a JavaScript user).
const { createPolicy, isForcedTlsError, userMessage, whitelistHint } = require('forced-tls');
const { forceTls } = require('forced-tls/nodemailer');
const { createProber } = require('forced-tls/probe');
const { createInboundGuard } = require('forced-tls/inbound');
const { createTestCa } = require('forced-tls/testing');
const nodemailer = require('nodemailer');

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const secured = forceTls(nodemailer.createTransport({ host: 'smtp.kanzlei.test', port: 587 }), {
  policy,
  recipientProtection: 'trust-relay',
});

async function send() {
  try {
    const info = await secured.sendMail({ from: 'a@kanzlei.test', to: 'b@mandant.test', text: 'x' });
    for (const e of info.rejectedErrors)
      console.log(e.recipient, e.responseCode, e.command, e.permanent, e.response);
    return info.tls.recipients.map((r) => r.state);
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    // As in the README: mayWhitelist narrows whitelistRequest.
    for (const r of error.recipients) {
      console.log(userMessage(r.code, 'de', r.domain));
      if (r.mayWhitelist) console.log(whitelistHint('de', r.whitelistRequest.value));
    }
    return [];
  }
}

module.exports = { send, parts: [createProber, createInboundGuard, createTestCa] };
