/**
 * Select AWS Profile and Region, and Use Local Emulator: they only change settings; the server gets
 * them through workspace/didChangeConfiguration.
 */
import type { Deps, PickItem } from './deps';
import { required } from './shared';
import { IOT_REGIONS, region as checkRegion } from '../core/awsProfiles';

const DEFAULT_CHAIN = '';
const OTHER = '\u0000other';

export async function selectProfile(deps: Deps): Promise<{ profile: string; region: string }> {
  const profiles = await deps.host.awsProfiles();
  const profileItems: PickItem<string>[] = [
    { label: '$(key) Default credential chain', description: 'environment, default profile, SSO, instance role', value: DEFAULT_CHAIN },
    ...profiles.map((p) => ({ label: p, value: p })),
  ];
  const profile = required(await deps.ui.pick(profileItems, { title: 'AWS Profile', placeHolder: profiles.length ? 'Choose a profile' : 'No profiles in ~/.aws: use the default chain' }));
  const regionItems: PickItem<string>[] = [
    { label: "$(globe) The profile's region", value: '' },
    ...IOT_REGIONS.map((r) => ({ label: r, value: r })),
    { label: 'Other…', value: OTHER },
  ];
  let region = required(await deps.ui.pick(regionItems, { title: 'AWS Region' }));
  if (region === OTHER) region = required(await deps.ui.input({ title: 'AWS Region', prompt: 'Region name', validate: checkRegion }));
  await deps.host.updateSetting('profile', profile);
  await deps.host.updateSetting('region', region);
  await deps.host.updateSetting('local', false);
  void deps.ui.info(`Zerynth AWS now uses ${profile ? `profile ${profile}` : 'the default credentials'}${region ? ` in ${region}` : ''}.`);
  return { profile, region };
}

export async function useLocalEmulator(deps: Deps): Promise<void> {
  await deps.host.updateSetting('local', true);
  void deps.ui.info('Zerynth AWS now uses the local emulator: nothing reaches AWS, and its state is lost when it stops.');
}
