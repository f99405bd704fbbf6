import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { getSubscribeTemplates, recordSubscribeConsent } from '@/api';
import type { SubscribeTemplates } from '@/api/types';

const SUPPORTED = process.env.TARO_ENV === 'weapp';

/**
 * The template IDs, fetched when the form opens: wx.requestSubscribeMessage must run inside the
 * tap that submits, so there is no time to fetch them then.
 */
export function useDecisionTemplate(): SubscribeTemplates | null {
  const [templates, setTemplates] = useState<SubscribeTemplates | null>(null);
  useEffect(() => {
    if (!SUPPORTED) return;
    getSubscribeTemplates().then(setTemplates, () => setTemplates(null));
  }, []);
  return templates;
}

/**
 * Asks, at the moment of submitting, for one "decision" message, and tells the API when the user
 * accepts. Never blocks the submission: a refusal or failure only means no message later. Browsers
 * have no subscribe messages, so H5 skips it.
 */
export async function askForDecisionMessage(templates: SubscribeTemplates | null): Promise<void> {
  if (!SUPPORTED || templates === null) return;
  try {
    const res = await Taro.requestSubscribeMessage({ tmplIds: [templates.decision], entityIds: [] });
    if ((res as Record<string, unknown>)[templates.decision] === 'accept') {
      await recordSubscribeConsent([templates.decision]);
    }
  } catch {
    // Refused, or the user has turned messages off in settings.
  }
}
