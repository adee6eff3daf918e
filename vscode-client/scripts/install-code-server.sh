#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) for the end-to-end tests, without the
# post-install downloads that fail offline (ripgrep from GitHub, node-gyp headers): the recipe of
# shared/notes/vscode-e2e.md. Idempotent: an install folder keyed on the version is reused; the
# folder is built under a temporary name and renamed at the end, so a half-done install never counts.
# Usage: install-code-server.sh DEST_DIR   (prints nothing on reuse)
set -euo pipefail
version=4.100.3
dest=${1:?usage: install-code-server.sh DEST_DIR}
if [ -x "$dest/node_modules/.bin/code-server" ] && [ -f "$dest/.complete" ]; then
    exit 0
fi
echo "installing code-server $version into $dest" >&2
tmp="$dest.partial.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export npm_config_nodedir=/usr npm_config_yes=true npm_config_fund=false npm_config_audit=false \
    npm_config_update_notifier=false npm_config_loglevel=error
cd "$tmp"
echo '{"name":"zaws-code-server","private":true}' > package.json
npm install --ignore-scripts --no-save "code-server@$version" >&2
npm rebuild argon2 >&2
vs="$tmp/node_modules/code-server/lib/vscode"
(cd "$vs" && npm install --omit=dev --ignore-scripts >&2)
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
ln -sf /usr/bin/rg "$vs/node_modules/@vscode/ripgrep/bin/rg"
(cd "$vs" && npm rebuild >&2)
ln -sfn node_modules "$vs/node_modules.asar"
ln -sf code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sf browser-linux.sh "$vs/bin/helpers/browser.sh"
(cd "$vs/extensions" && npm install --omit=dev >&2)
touch "$tmp/.complete"
trap - EXIT
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
