// End-to-end tests drive the release build (dist/, made by `make build`)
// in Debian's Chromium. Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';

// Overridable so that several checkouts can run their suites at once.
const PORT = Number(process.env.E2E_PORT ?? 8090);
const DIST = process.env.DIST ?? '../../dist';

export default defineConfig({
  testDir: './specs',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // In CI one retry, so a timing hiccup on a loaded 2-core machine does not
  // sink a whole run; Playwright still reports such a test as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    // The interface follows the browser's language: the suites select by
    // English text, so they run in English whatever the machine's locale
    // (i18n.spec.js sets its own per test).
    locale: 'en-US',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node serve.mjs ${DIST} ${PORT} /`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
