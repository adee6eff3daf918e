/**
 * The extension's settings as the server wants them: empty strings become null, so "not set" means
 * the same thing on both sides (boto3's defaults). In local mode the region is not sent: it is the
 * AWS account's (Select AWS Profile and Region sets it), and the emulator keeps its things in its
 * own region, which a region chosen for AWS would hide. Pure; ../settings.ts reads the configuration.
 */
import type { ServerSettings } from './protocol';

export const SECTION = 'zaws';

export function toServerSettings(get: (key: string) => unknown): ServerSettings {
  const text = (key: string): string | null => {
    const value = get(key);
    return typeof value === 'string' && value.trim() ? value.trim() : null;
  };
  const local = get('local') === true;
  return {
    profile: text('profile'),
    region: local ? null : text('region'),
    endpointUrl: text('endpointUrl'),
    local,
    remoteChecks: get('remoteChecks') !== false,
  };
}

/** didChangeConfiguration params: the settings nested under the section name, as LSP servers expect. */
export function configurationChange(settings: ServerSettings): { settings: { zaws: ServerSettings } } {
  return { settings: { zaws: settings } };
}
