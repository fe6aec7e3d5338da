// Headless Chromium for browser tests: Debian's package (CI installs it, see .ci/run), driven by
// playwright-core, which never downloads a browser of its own.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Flags for a machine without internet access: background networking and component updates
 * would otherwise try (and fail) to reach Google's hosts at every start.
 */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export interface HeadlessBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Starts Debian's Chromium headless (playwright gives it a fresh, temporary profile). */
export async function launchBrowser(): Promise<HeadlessBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (see .ci/run) or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
