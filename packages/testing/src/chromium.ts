/**
 * Headless Debian Chromium for browser tests, driven by playwright-core (the
 * workspace's devDependency): no network services, no GPU, a fresh profile
 * per launch (removed afterwards). Tests skip, with a message, where
 * /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] as const;

/** Whether the browser is installed; warns once per caller when it is not (the test is skipped). */
export function hasChromium(what: string): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok) console.warn(`${what} skipped: ${CHROMIUM} is missing (install Debian's chromium package)`);
  return ok;
}

/** Runs `f` with a browser context on a fresh user-data dir; closes the browser and removes the dir after. */
export async function withChromium<T>(f: (context: BrowserContext) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lstmc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    return await f(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
