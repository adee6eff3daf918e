/** The settings Simulate Device uses: `zaws.devices.sampleInterval` (seconds) and `zaws.devices.fotaResult`. */
import * as vscode from 'vscode';
import type { DeviceOptions } from '../commands/deviceViews';
import { FOTA_RESULTS, type FotaResult } from '../core/deviceProtocol';
import { SECTION } from '../core/settings';

export function deviceOptions(): DeviceOptions {
  const config = vscode.workspace.getConfiguration(SECTION);
  const every = config.get<number>('devices.sampleInterval');
  const fotaResult = config.get<string>('devices.fotaResult');
  return {
    every: typeof every === 'number' && every > 0 && every <= 3600 ? every : undefined,
    fotaResult: FOTA_RESULTS.includes(fotaResult as FotaResult) ? (fotaResult as FotaResult) : undefined,
  };
}
