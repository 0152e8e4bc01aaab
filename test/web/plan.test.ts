/**
 * The page's plan screen in headless Chromium (issue 17): the safety figures, the picture, the planner, and the
 * refusal of 3-of-6 over two stakers with the CLI's words; offline (no request), nothing in the console.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSplitSafety } from '../../src/safety/index.js';
import { foreignRequests, HAVE_CHROMIUM, openApp, startSession, type WebSession } from './browser.js';

let s: WebSession;

describe.skipIf(!HAVE_CHROMIUM)('web app: plan screen', () => {
  beforeAll(async () => {
    s = await startSession();
  }, 60_000);
  afterAll(async () => s?.close());

  it('6-of-9 over three stakers: accepted, survives any one staker offline, planner ranks allocations', async () => {
    const app = await openApp(s);
    const { page } = app;
    await expect.poll(() => page.getByTestId('gate').textContent()).toBe('dvkeys split accepts this allocation.');
    const text = (await page.locator('#plan-out').textContent())!;
    expect(text).toContain('threshold 6 of 9 shares over 3 operators');
    expect(await page.getByTestId('split-brain').textContent()).toContain('a split cannot double-sign');
    // The picture: three operators of three nodes, each one's outage leaves 6 of 9.
    expect(await page.locator('.picture figure').count()).toBe(3);
    expect(await page.locator('.picture .node').count()).toBe(9);
    expect(await page.locator('.picture figure').first().textContent()).toContain('if offline: 6 of 9 left, still signs (needs 6)');
    // The planner table: ranked rows.
    const rank1 = await page.locator('table').nth(1).locator('tbody tr').first().locator('td').first().textContent();
    expect(rank1).toBe('1');
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  });

  it('3-of-6 over two stakers is refused with the reason, in the words of dvkeys split', async () => {
    const app = await openApp(s);
    const { page } = app;
    await page.fill('#plan-operators', 'eridian:3,spacesider:3');
    await page.fill('#plan-threshold', '3');
    await page.press('#plan-threshold', 'Enter');
    await expect.poll(() => page.getByTestId('gate').textContent()).toMatch(/UNSAFE_THRESHOLD/);
    let expected = '';
    try {
      assertSplitSafety({ threshold: 3, operators: [{ name: 'eridian', shares: 3 }, { name: 'spacesider', shares: 3 }] });
    } catch (e) {
      expected = `dvkeys split: error: ${(e as Error).message} [UNSAFE_THRESHOLD]`;
    }
    expect(expected).toContain('threshold 3 of 6 is slashable');
    expect(await page.getByTestId('gate').textContent()).toBe(expected);
    expect(await page.getByTestId('gate').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('split-brain').textContent()).toMatch(/^network split: slashable/);
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  });

  it('bad operator text shows the one-line error with its code', async () => {
    const app = await openApp(s);
    const { page } = app;
    await page.fill('#plan-operators', 'eridian:x');
    await page.click('#plan-form button');
    await expect.poll(() => page.locator('#plan-out .error').textContent()).toMatch(/^dvkeys analyze: error: .+ \[[A-Z_]+\]$/);
    await page.context().close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('web app: Content-Security-Policy', () => {
  beforeAll(async () => {
    s = await startSession();
  }, 60_000);
  afterAll(async () => s?.close());

  it('forbids fetch, images and WebSockets from the page itself: a listening server sees nothing', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    server.on('upgrade', () => hits++);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as AddressInfo).port;
    const app = await openApp(s);
    const { page } = app;
    const outcome = await page.evaluate(async (port) => {
      const r: string[] = [];
      try {
        await fetch(`http://127.0.0.1:${port}/x`);
        r.push('fetch went out');
      } catch {
        r.push('fetch refused');
      }
      r.push(await new Promise<string>((res) => {
        try {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
          ws.onopen = () => res('websocket opened');
          ws.onerror = () => res('websocket refused');
        } catch {
          res('websocket refused');
        }
      }));
      const img = document.createElement('img');
      const loaded = new Promise<string>((res) => {
        img.onload = () => res('image loaded');
        img.onerror = () => res('image refused');
      });
      img.src = `http://127.0.0.1:${port}/x.png`;
      r.push(await loaded);
      return r;
    }, port);
    server.close();
    expect(outcome).toEqual(['fetch refused', 'websocket refused', 'image refused']);
    expect(hits).toBe(0);
    // Chromium reports the attempted image load before the CSP blocks it; the server above saw none of them.
    expect(app.failed).toEqual([`http://127.0.0.1:${port}/x.png csp`]);
    expect(app.console.filter((c) => /Content Security Policy/.test(c)).length).toBeGreaterThanOrEqual(3);
    await page.context().close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('web app: layout and keyboard', () => {
  beforeAll(async () => {
    s = await startSession();
  }, 60_000);
  afterAll(async () => s?.close());

  it.each([[1280, 800], [390, 844]])('at %ix%i no screen is wider than the window', async (width, height) => {
    const app = await openApp(s, { width, height });
    for (const screen of ['plan', 'split', 'verify', 'combine']) {
      await app.page.evaluate((h) => (location.hash = h), `#${screen}`);
      await expect.poll(() => app.page.isVisible(`#${screen}`)).toBe(true);
      const [scroll, inner] = await app.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scroll, screen).toBeLessThanOrEqual(inner);
    }
    await app.page.context().close();
  });

  it('the screens and the Split button are reached with the keyboard', async () => {
    const app = await openApp(s);
    const { page } = app;
    const focused = (): Promise<string> => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');
    let seen = '';
    for (let i = 0; i < 5 && seen !== 'Split'; i++) {
      await page.keyboard.press('Tab');
      seen = await focused();
    }
    expect(seen).toBe('Split');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.isVisible('#split')).toBe(true);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused()) === 'split-run';
    }
    expect(reached).toBe(true);
    await page.context().close();
  });
});
