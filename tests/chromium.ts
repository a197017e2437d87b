/**
 * Debian's Chromium, as the e2e tests and the browser benchmarks launch it: never a downloaded
 * browser. As root it needs --no-sandbox; the other flags stop it reaching for the network at
 * start (there is none here, and each refused connection costs time).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
