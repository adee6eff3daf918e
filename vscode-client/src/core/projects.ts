/**
 * Which folders of the workspace are zaws projects: a folder with a `thing.conf.json` at its top,
 * except the per-thing copies under `.aws_things_resources/`; and which of them a deleted folder took away.
 */

export const PROJECT_FILE = 'thing.conf.json';
export const PROJECT_GLOB = '**/thing.conf.json';
/** Not projects: per-thing copies, zaws's own state (staging of an Add Things run), tool folders. */
export const EXCLUDE_GLOB = '**/{.aws_things_resources,.zaws,node_modules,.git}/**';
const NOT_PROJECT_FOLDERS = ['.aws_things_resources', '.zaws', 'node_modules', '.git'];

/** Project folder paths (POSIX, from URIs' paths) for the given thing.conf.json paths, sorted. */
export function projectFolders(confPaths: string[]): string[] {
  const folders = confPaths
    .filter((p) => p.endsWith(`/${PROJECT_FILE}`) && !p.split('/').some((part) => NOT_PROJECT_FOLDERS.includes(part)))
    .map((p) => p.slice(0, -(PROJECT_FILE.length + 1)));
  return [...new Set(folders)].sort((a, b) => a.localeCompare(b));
}

/**
 * The project a changed file belongs to, when the change is inside a project (a per-thing copy under
 * `.aws_things_resources/`, an Add Things run's staging under `.zaws/`, or `.zawsconf`): its things
 * changed, the list of projects did not.
 */
export function projectOfThingFile(path: string): string | undefined {
  for (const folder of ['/.aws_things_resources/', '/.zaws/']) {
    const at = path.indexOf(folder);
    if (at >= 0) return path.slice(0, at);
  }
  if (path.endsWith('/.zawsconf')) return path.slice(0, -'/.zawsconf'.length);
  return undefined;
}

/**
 * Whether `uri` is `folderUri` or inside it. Both are URI strings in one normal form (as
 * `vscode.Uri.toString()` writes them), so the separator is always `/`.
 */
export function isSameOrInside(uri: string, folderUri: string): boolean {
  const folder = folderUri.replace(/\/+$/, '');
  return uri.replace(/\/+$/, '') === folder || uri.startsWith(`${folder}/`);
}

/**
 * The projects a deletion took away: those at the deleted path or inside it. A file watcher often
 * reports only a deleted folder, not each file in it, so a project's thing.conf.json may go unseen.
 */
export function projectsDeletedWith(deletedUri: string, projectUris: readonly string[]): string[] {
  return projectUris.filter((project) => isSameOrInside(project, deletedUri));
}

export function folderName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
