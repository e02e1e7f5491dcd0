// Bounded waiting helpers: every wait has a deadline and says what it waited for.
import type { Locator } from 'playwright-core';

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (${String(lastError)})` : ''}`);
}

export async function expectText(locator: Locator, text: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => (await locator.allInnerTexts()).some((t) => t.includes(text)), `text "${text}"`, timeoutMs);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}
