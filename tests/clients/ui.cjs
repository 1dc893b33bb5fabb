#!/usr/bin/env node
// Drives the `schemactl serve` web UI in headless Chromium (playwright-core)
// the way a person would: topic list -> topic page -> two versions -> diff,
// following links by clicking them, and checks what each page shows.
//
//   node ui.cjs --base URL --topic TOPIC --owner OWNER --added-field NAME \
//       --from N --to M [--bump minor] [--screenshot FILE.png]
//
// Environment:
//   SCHEMACTL_CLIENTS_NODE  directory whose node_modules holds playwright-core
//                           (tests/clients/package.json, installed by scripts/test.sh)
//   SCHEMACTL_CHROMIUM      the Chromium executable (Debian: /usr/bin/chromium)
//
// Checks, in order:
//   1. `/` (a browser's Accept: text/html) lists TOPIC in the topics table
//      with OWNER among its owners.
//   2. Clicking the topic's link opens its page: name, OWNER, and versions
//      N and M in the versions table.
//   3. Clicking version M: the source of the message's file (the "File" fact)
//      is shown, highlighted (at least one visibly styled .kw span), and
//      contains NAME. Back on the topic page (via the title link), version N:
//      the same file without NAME.
//   4. Clicking the diff link of version M (or, when N is not M-1, choosing
//      N and M in the page's form): bump is --bump (default minor), the
//      changes table has "added field ….NAME", the unified diff has an added
//      line (span.add) with NAME, and nothing is listed as breaking.
// Only requests to --base are allowed; any other is aborted and fails the run.
// Exits 1 naming the failed step; prints a one-line JSON summary on success.
'use strict';

const path = require('path');

const PROG = 'ui';
const STEP_TIMEOUT_MS = 20000;
const OVERALL_TIMEOUT_MS = 180000;

let step = 'start';

function die(msg) {
  process.stderr.write(`${PROG}: FAIL [${step}] ${msg}\n`);
  process.exit(1);
}

class Failed extends Error {}

function check(cond, msg) {
  if (!cond) throw new Failed(msg);
}

function parseArgs(argv) {
  const out = { bump: 'minor' };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(base|topic|owner|added-field|from|to|bump|screenshot)$/.exec(argv[i]);
    if (!m || i + 1 >= argv.length) {
      die(`usage: node ${PROG}.cjs --base URL --topic TOPIC --owner OWNER --added-field NAME --from N --to M [--bump minor] [--screenshot FILE] (bad argument ${argv[i]})`);
    }
    out[m[1]] = argv[++i];
  }
  for (const k of ['base', 'topic', 'owner', 'added-field', 'from', 'to']) {
    if (!out[k]) die(`--${k} is required`);
  }
  for (const k of ['from', 'to']) {
    if (!/^[1-9][0-9]*$/.test(out[k])) die(`--${k} must be a version number, not ${JSON.stringify(out[k])}`);
  }
  out.base = out.base.replace(/\/+$/, '');
  return out;
}

const squash = s => (s || '').replace(/\s+/g, ' ').trim();

// The page must be an HTML page of the server, with status 200.
function checkResponse(resp, what) {
  check(resp, `${what}: no response`);
  check(resp.status() === 200, `${what}: HTTP ${resp.status()} for ${resp.url()}`);
  const type = resp.headers()['content-type'] || '';
  check(type.startsWith('text/html'), `${what}: content-type ${JSON.stringify(type)}, expected text/html`);
}

// Click `link` and wait for the navigation it starts; returns the response.
async function follow(page, link, what) {
  check(await link.count() === 1, `${what}: expected exactly one link, found ${await link.count()}`);
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    link.click(),
  ]);
  checkResponse(resp, what);
  return resp;
}

async function cellTexts(row) {
  return (await row.locator('td').allInnerTexts()).map(squash);
}

async function tagTexts(locator) {
  return (await locator.locator('.tag').allInnerTexts()).map(squash);
}

// The version page's "File" fact and that file's highlighted source.
async function versionSource(page, args, n) {
  const h1 = squash(await page.locator('h1').innerText());
  check(h1 === `${args.topic} · v${n}`, `version page title ${JSON.stringify(h1)}, expected "${args.topic} · v${n}"`);
  const facts = page.locator('[data-testid="version-facts"]');
  check(await facts.count() === 1, 'no version-facts table');
  const fileRow = facts.locator('tr').filter({ has: page.locator('th', { hasText: /^File$/ }) });
  check(await fileRow.count() === 1, 'version-facts has no File row');
  const file = squash(await fileRow.locator('td').innerText());
  check(file.endsWith('.proto'), `File fact ${JSON.stringify(file)} is not a .proto path`);
  const schemaId = squash(await page.locator('[data-testid="schema-id"]').innerText());
  check(/^[0-9]+$/.test(schemaId), `schema id ${JSON.stringify(schemaId)} is not a number`);
  const sources = page.locator('pre[data-testid="source"]');
  const paths = await sources.evaluateAll(els => els.map(e => e.getAttribute('data-path')));
  const pre = page.locator(`pre[data-testid="source"][data-path="${file}"]`);
  check(await pre.count() === 1, `no source shown for the message's file ${file} (sources: ${paths.join(', ') || 'none'})`);
  check(await pre.isVisible(), `the source of ${file} is not visible`);
  const text = await pre.innerText();
  return { file, pre, text, schemaId, sources: paths.length };
}

async function run(args, page) {
  const enc = encodeURIComponent(args.topic);
  const field = args['added-field'];
  const fieldRe = new RegExp(`\\b${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);

  // 1. The topic list.
  step = 'topic list';
  checkResponse(await page.goto(`${args.base}/`), 'GET /');
  const table = page.locator('[data-testid="topics"]');
  check(await table.count() === 1, 'no topics table on /');
  const topicCount = await table.locator('tbody tr').count();
  const row = table.locator(`tbody tr[data-topic="${args.topic}"]`);
  check(await row.count() === 1, `topic ${args.topic} not listed (${topicCount} topic rows)`);
  const rowOwners = await tagTexts(row);
  check(rowOwners.includes(args.owner), `topic row owners ${JSON.stringify(rowOwners)} lack ${args.owner}`);

  // 2. The topic page, by its link.
  step = 'topic page';
  await follow(page, row.locator('a', { hasText: new RegExp(`^${args.topic.replace(/\./g, '\\.')}$`) }), 'topic link');
  const topicUrl = `${args.base}/ui/topics/${enc}`;
  check(page.url() === topicUrl, `topic link led to ${page.url()}, expected ${topicUrl}`);
  const name = squash(await page.locator('[data-testid="topic-name"]').innerText());
  check(name === args.topic, `topic-name ${JSON.stringify(name)}, expected ${args.topic}`);
  const owners = await tagTexts(page.locator('[data-testid="owners"]'));
  check(owners.includes(args.owner), `owners ${JSON.stringify(owners)} lack ${args.owner}`);
  const versionRows = page.locator('[data-testid="versions"] tbody tr[data-version]');
  const listed = await versionRows.evaluateAll(rs => rs.map(r => r.getAttribute('data-version')));
  for (const n of [args.from, args.to]) {
    check(listed.includes(n), `version ${n} not listed (versions: ${listed.join(', ')})`);
    const cells = await cellTexts(versionRows.filter({ has: page.locator(`a[href$="/versions/${n}"]`) }));
    check(cells[0] === `v${n}`, `version row ${n} starts with ${JSON.stringify(cells[0])}`);
  }

  // 3. Version `to`, then version `from`, by their links.
  step = `version ${args.to}`;
  await follow(page, page.locator(`[data-testid="versions"] tr[data-version="${args.to}"] td:first-child a`), `version ${args.to} link`);
  check(page.url() === `${topicUrl}/versions/${args.to}`, `version link led to ${page.url()}`);
  const to = await versionSource(page, args, args.to);
  const keywords = await to.pre.locator('span.kw').count();
  check(keywords > 0, `the source of ${to.file} has no highlighted keyword (span.kw)`);
  const [kwColor, preColor] = await Promise.all([
    to.pre.locator('span.kw').first().evaluate(e => getComputedStyle(e).color),
    to.pre.evaluate(e => getComputedStyle(e).color),
  ]);
  check(kwColor !== preColor, `keywords are not styled (colour ${kwColor}, same as the text)`);
  const toLine = to.text.split('\n').find(l => fieldRe.test(l));
  check(toLine !== undefined, `version ${args.to}'s ${to.file} does not contain ${field}`);
  // The added field's own line is highlighted too (its type or number).
  const toLineHtml = (await to.pre.innerHTML()).split('\n').find(l => fieldRe.test(l.replace(/<[^>]*>/g, '')));
  check(/<span class="(ty|nu)">/.test(toLineHtml || ''), `the line of ${field} is not highlighted: ${toLineHtml}`);

  step = `version ${args.from}`;
  await follow(page, page.locator(`h1 a[href="/ui/topics/${enc}"]`), 'title link back to the topic');
  check(page.url() === topicUrl, `title link led to ${page.url()}`);
  await follow(page, page.locator(`[data-testid="versions"] tr[data-version="${args.from}"] td:first-child a`), `version ${args.from} link`);
  const from = await versionSource(page, args, args.from);
  check(from.file === to.file, `the message's file moved from ${from.file} to ${to.file}`);
  check(!fieldRe.test(from.text), `version ${args.from}'s ${from.file} already contains ${field}`);
  check(from.schemaId !== to.schemaId, `versions ${args.from} and ${args.to} have the same schema id ${to.schemaId}`);

  // 4. The diff, from the topic page.
  step = 'diff';
  await page.goBack();
  check(page.url() === topicUrl, `back from version ${args.from} is ${page.url()}`);
  await follow(page, page.locator(`[data-testid="versions"] tr[data-version="${args.to}"] a[href*="/diff?"]`), `diff link of version ${args.to}`);
  let q = new URL(page.url()).searchParams;
  if (q.get('from') !== args.from || q.get('to') !== args.to) {
    // The link compares with the previous version; pick the range in the form.
    await page.selectOption('select[name="from"]', args.from);
    await page.selectOption('select[name="to"]', args.to);
    await follow(page, page.locator('form button[type="submit"]'), 'Compare');
    q = new URL(page.url()).searchParams;
  }
  check(q.get('from') === args.from && q.get('to') === args.to, `diff page is ${page.url()}, expected from=${args.from}&to=${args.to}`);
  const h1 = squash(await page.locator('h1').innerText());
  check(h1 === `${args.topic} · diff v${args.from} → v${args.to}`, `diff title ${JSON.stringify(h1)}`);
  const bump = squash(await page.locator('[data-testid="bump"]').innerText());
  check(bump === args.bump, `bump is ${JSON.stringify(bump)}, expected ${args.bump}`);
  const breaking = await page.locator('[data-testid="breaking"] li').allInnerTexts();
  check(args.bump === 'major' || breaking.length === 0, `a ${bump} bump lists breaking changes: ${breaking.join('; ')}`);
  check(await page.locator('[data-testid="no-changes"]').count() === 0, 'the diff page says there are no changes');
  const changeRows = await page.locator('[data-testid="changes"] tbody tr').evaluateAll(
    rs => rs.map(r => Array.from(r.cells, c => c.innerText.replace(/\s+/g, ' ').trim())),
  );
  check(changeRows.length > 0, 'the changes table is missing or empty');
  const change = changeRows.find(c => c[0] === 'added' && c[1] === 'field' && (c[2] === field || c[2].endsWith(`.${field}`)));
  check(change, `no "added field …${field}" change; changes: ${JSON.stringify(changeRows)}`);
  const diffPre = page.locator(`pre[data-testid="file-diff"][data-path="${to.file}"]`);
  check(await diffPre.count() === 1, `no unified diff of ${to.file}`);
  const added = (await diffPre.locator('span.add').allInnerTexts()).map(s => s.replace(/\n$/, ''));
  const addLine = added.find(l => l.startsWith('+') && fieldRe.test(l));
  check(addLine, `no added line (span.add) with ${field} in the diff of ${to.file}; added lines: ${JSON.stringify(added)}`);
  // The rendered diff keeps one line per diff line.
  const lines = (await diffPre.innerText()).split('\n');
  check(lines.includes(addLine), `the added line is not a line of its own in the rendered diff: ${JSON.stringify(lines)}`);
  check(await diffPre.locator('span.add', { hasText: fieldRe }).isVisible(), 'the added line is not visible');

  step = 'screenshot';
  if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true });

  return {
    ok: true,
    topics: topicCount,
    topic: args.topic,
    owners,
    versions: listed.map(Number),
    file: to.file,
    schema_ids: { [args.from]: Number(from.schemaId), [args.to]: Number(to.schemaId) },
    keywords_highlighted: keywords,
    field_line: toLine.trim(),
    bump,
    change: change.slice(0, 4).join(' '),
    added_line: addLine,
    screenshot: args.screenshot || null,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) die(`playwright-core needs Node.js 20 or later, this is ${process.version}`);
  const nodeDir = process.env.SCHEMACTL_CLIENTS_NODE;
  if (!nodeDir) die('SCHEMACTL_CLIENTS_NODE is not set (a directory containing node_modules)');
  const executablePath = process.env.SCHEMACTL_CHROMIUM;
  if (!executablePath) die('SCHEMACTL_CHROMIUM is not set (the Chromium executable, e.g. /usr/bin/chromium)');
  const { chromium } = require(path.join(nodeDir, 'node_modules', 'playwright-core'));

  setTimeout(() => die(`no result after ${OVERALL_TIMEOUT_MS / 1000}s`), OVERALL_TIMEOUT_MS).unref();

  step = 'launch';
  const browser = await chromium.launch({
    executablePath,
    // Without the background-networking flags Chromium keeps trying to
    // reach Google services, which floods a machine without internet.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  let summary;
  let failure;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const origin = new URL(args.base).origin;
    await context.route('**/*', route => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      problems.push(`[${step}] the page requested ${url}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', e => problems.push(`[${step}] page error: ${e.message}`));
    page.on('console', m => { if (m.type() === 'error') problems.push(`[${step}] console error: ${m.text()}`); });
    try {
      summary = await run(args, page);
    } catch (e) {
      failure = e instanceof Failed ? e.message : `${e && e.message ? e.message : e} (at ${page.url()})`;
    }
  } finally {
    await browser.close();
  }
  if (failure) die(failure);
  step = 'page problems';
  // /favicon.ico is not served (no page links one); Chromium asks anyway.
  const real = problems.filter(p => !/favicon\.ico/.test(p));
  if (real.length) die(real.join('\n'));
  console.log(JSON.stringify(summary));
}

main().catch(e => {
  process.stderr.write(`${PROG}: ERROR [${step}] ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
