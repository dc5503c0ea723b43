// GraphQL-over-HTTP conformance: runs graphql-http's server audits against a live claimgraph.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/audit/audit.mjs
//
// Prints one row per audit (id, level, result, name, and the reason when it is not ok), then
// a count per level and result. Exits 1 when any MUST or SHOULD audit is not ok: MAY audits
// are reported but do not fail, since the spec leaves them to the server.

import { serverAudits } from 'graphql-http';

const base = process.env.CLAIMGRAPH_URL;
if (!base) {
  console.error('audit: set CLAIMGRAPH_URL to the server (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
const url = new URL('/graphql', base).href;

// An audit that never answers would hang CI; the server answers these in milliseconds.
const AUDIT_TIMEOUT_MS = 10_000;
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(AUDIT_TIMEOUT_MS) });

const levelOf = (name) => name.split(' ', 1)[0];
// Reasons can embed a whole response body; one line of it is enough to see what went wrong.
const oneLine = (text, max = 160) => {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const rows = [];
for (const audit of serverAudits({ url, fetchFn })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    // graphql-http throws only on fatal problems (the server is gone, a timeout).
    result = { id: audit.id, name: audit.name, status: 'error', reason: `threw: ${err?.message ?? err}` };
  }
  // Unread bodies keep sockets busy; the audits are done with them.
  if (result.response?.body && !result.response.bodyUsed) {
    await result.response.body.cancel().catch(() => {});
  }
  rows.push({
    id: audit.id,
    level: levelOf(audit.name),
    status: result.status,
    name: audit.name.slice(levelOf(audit.name).length + 1),
    reason: result.status === 'ok' ? '' : oneLine(result.reason),
  });
}

const width = (key) => Math.max(key.length, ...rows.map((r) => r[key].length));
const cols = ['id', 'level', 'status'];
const header = cols.map((c) => c.padEnd(width(c))).join('  ') + '  name';
console.log(header);
console.log('-'.repeat(header.length + 40));
for (const r of rows) {
  console.log(cols.map((c) => r[c].padEnd(width(c))).join('  ') + `  ${r.name}`);
  if (r.reason) console.log(`${' '.repeat(header.length - 4)}  └ ${r.reason}`);
}

const blocking = rows.filter((r) => r.status !== 'ok' && (r.level === 'MUST' || r.level === 'SHOULD'));
console.log('');
for (const level of ['MUST', 'SHOULD', 'MAY']) {
  const of = rows.filter((r) => r.level === level);
  const count = (s) => of.filter((r) => r.status === s).length;
  console.log(
    `audit: ${level.padEnd(6)} ${String(of.length).padStart(3)} audits: ${count('ok')} ok, ` +
      `${count('notice')} notice, ${count('warn')} warn, ${count('error')} error`,
  );
}
if (blocking.length) {
  console.log(`audit: FAIL: ${blocking.length} MUST/SHOULD audits not ok: ${blocking.map((r) => r.id).join(' ')}`);
  process.exit(1);
}
console.log('audit: PASS: every MUST and SHOULD audit is ok');
