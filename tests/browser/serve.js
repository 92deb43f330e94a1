#!/usr/bin/env node
// Drives the page of `strata serve` in headless chromium: it must show the drawing and
// the findings, follow a save without a reload, highlight a finding's component on a
// click, and fetch nothing from anywhere but the server.
//
// Usage: node serve.js URL DESIGN CHROMIUM   (NODE_PATH must reach playwright-core)
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const PATIENCE = 60000;

function check(condition, what) {
  if (!condition) throw new Error(what);
}

async function main() {
  const [url, design, executablePath] = process.argv.slice(2);
  // Root (as CI runs) cannot use chromium's sandbox.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const elsewhere = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(url)) elsewhere.push(request.url());
    });
    let loads = 0;
    page.on('load', () => { loads += 1; });

    await page.goto(url);
    await page.waitForSelector('#diagram svg #c-api', { timeout: PATIENCE });
    const findings = await page.$$eval('#findings li', (items) => items.map((item) => item.textContent));
    check(findings.some((text) => text.includes('AVL102')), `no AVL102 among the findings: ${findings}`);

    // A save: the page must follow it in place.
    await page.evaluate(() => { window.notReloaded = true; });
    const text = fs.readFileSync(design, 'utf8');
    fs.writeFileSync(design, `${text}orders: service "Orders"\napi -> orders\n`);
    await page.waitForSelector('#diagram svg #c-orders', { timeout: PATIENCE });
    check(await page.evaluate(() => window.notReloaded === true), 'the page was reloaded');
    check(loads === 1, `the page loaded ${loads} times`);

    await page.click('#findings li[data-element="api"]');
    await page.waitForSelector('#diagram svg #c-api.highlighted', { timeout: PATIENCE });
    const highlighted = await page.$$eval('#diagram .highlighted', (nodes) => nodes.map((node) => node.id));
    check(highlighted.join() === 'c-api', `highlighted: ${highlighted}`);

    check(elsewhere.length === 0, `requests left the server: ${elsewhere}`);
    console.log(`ok: ${findings.length} findings shown, the save followed without a reload, c-api highlighted, no request elsewhere`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error.stack || error);
  process.exit(1);
});
