/**
 * The Messages view's page (the webview's HTML, style and script): a toolbar with the filter, Pause
 * and Clear, a status line, and the message rows, newest first. The page holds no state worth
 * keeping: the extension host sends every row it draws (`reset`: all again, `append`: new ones,
 * each with the status line) and gets the user's filter text, pause and clear back. At most
 * `maxRows` rows are in the page; older ones are removed as new ones come, so a flood of messages
 * stays cheap to draw. No `vscode` import: the strings are tested for what the view relies on.
 */

export type PageToHost = { type: 'ready' } | { type: 'filter'; text: string } | { type: 'pause' } | { type: 'resume' } | { type: 'clear' };

export function messagesPage(options: { cspSource: string; nonce: string; maxRows: number }): string {
  const { cspSource, nonce, maxRows } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Messages</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div class="toolbar">
  <input id="filter" type="text" placeholder="Filter: words, or a topic filter like +/samples" aria-label="Filter messages" spellcheck="false">
  <button id="pause" type="button" title="Pause: new messages are kept, not shown">Pause</button>
  <button id="clear" type="button" title="Clear all messages">Clear</button>
</div>
<div id="status" class="status" role="status">No messages yet. Simulate a device or subscribe to a topic.</div>
<div id="rows" class="rows" role="log" aria-label="Messages"></div>
<script nonce="${nonce}">${script(maxRows)}</script>
</body>
</html>`;
}

const STYLE = `
body { padding: 0; margin: 0; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
.toolbar { position: sticky; top: 0; z-index: 1; display: flex; gap: 6px; padding: 6px 8px; background: var(--vscode-panel-background, var(--vscode-editor-background)); border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#filter { flex: 1; min-width: 8em; padding: 3px 6px; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); border-radius: 2px; }
#filter:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
button { padding: 3px 10px; color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: none; border-radius: 2px; cursor: pointer; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button.on { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
.status { padding: 3px 8px; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.status.paused { color: var(--vscode-editorWarning-foreground); }
.rows { padding: 0 8px 8px; }
.message { padding: 4px 0; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.2)); }
.head { display: flex; gap: 10px; align-items: baseline; }
.time { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
.topic { font-weight: 600; color: var(--vscode-textLink-foreground); font-family: var(--vscode-editor-font-family); }
.source { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.note .topic { color: var(--vscode-foreground); font-weight: normal; font-style: italic; }
pre.body { margin: 2px 0 0; padding: 0; white-space: pre-wrap; word-break: break-all; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre.body.json { color: var(--vscode-debugTokenExpression-string, var(--vscode-foreground)); }
`;

/** The page's script; `rows` are MessageRow objects (core/messages.ts), `status` a LogStatus. */
function script(maxRows: number): string {
  return `
(function () {
  const vscode = acquireVsCodeApi();
  const MAX_ROWS = ${maxRows};
  const rows = document.getElementById('rows');
  const status = document.getElementById('status');
  const filter = document.getElementById('filter');
  const pause = document.getElementById('pause');
  const clear = document.getElementById('clear');
  let paused = false;
  let typing;

  function element(tag, className, text) {
    const e = document.createElement(tag);
    e.className = className;
    e.textContent = text;
    return e;
  }

  function rowElement(row) {
    const div = element('div', row.note ? 'message note' : 'message', '');
    div.dataset.seq = String(row.seq);
    const head = element('div', 'head', '');
    head.append(element('span', 'time', row.time), element('span', 'topic', row.topic), element('span', 'source', row.source));
    div.append(head);
    if (row.body) div.append(element('pre', row.json ? 'body json' : 'body', row.body));
    return div;
  }

  function plural(n, one, many) { return n.toLocaleString('en-US') + ' ' + (n === 1 ? one : many); }

  function showStatus(s) {
    paused = s.paused;
    pause.textContent = s.paused ? 'Resume' : 'Pause';
    pause.classList.toggle('on', s.paused);
    pause.title = s.paused ? 'Resume: show the messages kept while paused' : 'Pause: new messages are kept, not shown';
    if (document.activeElement !== filter && filter.value !== s.filter) filter.value = s.filter;
    const parts = [];
    if (s.kept === 0 && !s.paused) parts.push('No messages yet. Simulate a device or subscribe to a topic.');
    else if (s.filter) parts.push(s.matching.toLocaleString('en-US') + ' of ' + plural(s.kept, 'message', 'messages') + (s.matching === 1 ? ' matches' : ' match'));
    else parts.push(plural(s.kept, 'message', 'messages'));
    if (s.paused) parts.push('paused: ' + s.heldWhilePaused.toLocaleString('en-US') + ' new');
    if (s.dropped) parts.push(s.dropped.toLocaleString('en-US') + ' oldest dropped');
    status.textContent = parts.join(' · ');
    status.classList.toggle('paused', s.paused);
  }

  function prepend(list) {
    const fragment = document.createDocumentFragment();
    for (let i = list.length - 1; i >= 0; i--) fragment.append(rowElement(list[i]));
    rows.prepend(fragment);
    while (rows.childElementCount > MAX_ROWS) rows.lastElementChild.remove();
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'reset') {
      rows.replaceChildren();
      prepend(m.rows.slice(-MAX_ROWS));
    } else if (m.type === 'append') {
      prepend(m.rows.slice(-MAX_ROWS));
    }
    if (m.status) showStatus(m.status);
  });

  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => vscode.postMessage({ type: 'filter', text: filter.value }), 150);
  });
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { clearTimeout(typing); vscode.postMessage({ type: 'filter', text: filter.value }); }
    if (event.key === 'Escape') { filter.value = ''; clearTimeout(typing); vscode.postMessage({ type: 'filter', text: '' }); }
  });
  pause.addEventListener('click', () => vscode.postMessage({ type: paused ? 'resume' : 'pause' }));
  clear.addEventListener('click', () => vscode.postMessage({ type: 'clear' }));
  vscode.postMessage({ type: 'ready' });
})();
`;
}
