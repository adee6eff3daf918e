/**
 * The first-run pieces of package.json: the walkthrough's steps link only to contributed commands
 * and show media that the .vsix carries; the welcome view opens the walkthrough; the marketplace
 * fields (icon, repository, categories, keywords) are set and name files that exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
interface Step {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Manifest {
  name: string;
  publisher: string;
  icon?: string;
  repository?: { url?: string };
  categories?: string[];
  keywords?: string[];
  contributes: {
    commands: { command: string }[];
    walkthroughs: { id: string; steps: Step[] }[];
    viewsWelcome: { view: string; contents: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
const packed = readFileSync(join(root, '.vscodeignore'), 'utf8');

function linkedCommands(markdown: string): string[] {
  return [...markdown.matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1]!);
}

test('the walkthrough goes from the emulator to a FOTA update and a simulated device', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.ok(walkthrough);
  const commands = walkthrough.steps.flatMap((step) => linkedCommands(step.description));
  for (const wanted of ['zaws.useLocalEmulator', 'zaws.createProject', 'zaws.addThings', 'zaws.setActiveThing', 'zaws.startFota']) {
    assert.ok(commands.includes(wanted), `a step links to ${wanted}`);
  }
  assert.ok(commands.indexOf('zaws.createProject') < commands.indexOf('zaws.startFota'), 'the project comes before FOTA');
});

test("every step links to contributed commands, completes on one, and shows media the .vsix carries", () => {
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    const linked = linkedCommands(step.description);
    assert.ok(linked.length > 0, `${step.id} has a button`);
    for (const command of linked) assert.ok(contributed.has(command), `${step.id} links to ${command}, which is contributed`);
    for (const event of step.completionEvents ?? []) {
      const command = /^onCommand:(.+)$/.exec(event)?.[1];
      if (command) assert.ok(contributed.has(command), `${step.id} completes on ${command}, which is contributed`);
    }
    const media = step.media.markdown ?? step.media.image;
    assert.ok(media && existsSync(join(root, media)), `${step.id}'s media ${String(media)} exists`);
    assert.ok(packed.includes(`!${media.split('/')[0]}/**`), `${media} is packed into the .vsix`);
  }
});

test('the welcome view of the Things view opens the walkthrough', () => {
  const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === 'zaws.things');
  const id = `${manifest.publisher}.${manifest.name}#${manifest.contributes.walkthroughs[0]!.id}`;
  assert.ok(welcome?.contents.includes(`command:workbench.action.openWalkthrough?${encodeURIComponent(JSON.stringify(id))}`), welcome?.contents);
});

test('the marketplace fields are set, the icon is a 128x128 PNG, README and CHANGELOG are packed', () => {
  assert.ok(manifest.icon, 'icon');
  const icon = readFileSync(join(root, manifest.icon));
  assert.equal(icon.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
  assert.match(manifest.repository?.url ?? '', /^https:\/\//);
  assert.ok((manifest.categories ?? []).length > 0 && (manifest.keywords ?? []).length > 0);
  for (const file of ['README.md', 'CHANGELOG.md']) assert.ok(packed.includes(`!${file}`), `${file} is packed`);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length > 0, 'the README shows a screenshot');
  for (const image of images) assert.ok(existsSync(join(root, image)) && image.endsWith('.png'), `${image} exists and is a PNG`);
});

test('the backend wheel is packed when built', () => {
  assert.ok(packed.includes('!backend/*.whl'));
});
