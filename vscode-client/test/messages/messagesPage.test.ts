import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messagesPage } from '../../src/messages/messagesPage';

test('the Messages page: a strict CSP with the nonce on its one style and script, the controls the view relies on', () => {
  const html = messagesPage({ cspSource: 'vscode-webview://x', nonce: 'n0nce', maxRows: 500 });
  assert.match(html, /content="default-src 'none'; style-src vscode-webview:\/\/x 'nonce-n0nce'; script-src 'nonce-n0nce';"/);
  assert.equal(html.match(/<script nonce="n0nce">/g)?.length, 1);
  assert.equal(html.match(/<style nonce="n0nce">/g)?.length, 1);
  assert.ok(!/<script(?! nonce)/.test(html), 'no script without the nonce');
  assert.ok(!/https?:\/\//.test(html), 'nothing loaded from the network');
  for (const id of ['filter', 'pause', 'clear', 'status', 'rows']) assert.match(html, new RegExp(`id="${id}"`));
  assert.match(html, /const MAX_ROWS = 500;/);
  assert.match(html, /textContent = text/, 'rows are text, never HTML from a payload');
  assert.ok(!html.includes('innerHTML'));
});
