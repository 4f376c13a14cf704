export type { CliErrorCode } from './cli-error.js';
export { CliError, isCliError } from './cli-error.js';
export type { DnsFixture, FixtureNetwork } from './dns-fixture.js';
export { createFixtureNetwork, loadDnsFixture } from './dns-fixture.js';
export type { CliIo, CliStream, Command, ExitCode } from './io.js';
export { EXIT } from './io.js';
export type { RunCliOptions } from './main.js';
export { runCli } from './main.js';
