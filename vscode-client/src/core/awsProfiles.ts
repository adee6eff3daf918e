/**
 * The AWS profile names a user can pick, read from the shared config and credentials files
 * (`[profile x]` in config, `[x]` in credentials), and the regions where AWS IoT Core runs.
 * Parsing is pure; reading the files is the caller's job.
 */

export function profilesFromConfig(text: string): string[] {
  return sections(text).map((name) => (name.startsWith('profile ') ? name.slice('profile '.length).trim() : name)).filter((name) => name === 'default' || !/^(sso-session|services)\s/.test(name));
}

export function profilesFromCredentials(text: string): string[] {
  return sections(text);
}

export function mergeProfiles(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

function sections(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (match?.[1]) names.push(match[1].trim());
  }
  return names;
}

/** Regions with AWS IoT Core (commercial partitions). */
export const IOT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1',
  'ap-east-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2',
  'me-south-1', 'me-central-1', 'sa-east-1',
] as const;

export function region(text: string): string | undefined {
  if (text.length === 0) return undefined;
  return /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(text) ? undefined : 'A region looks like eu-west-1.';
}
