import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { runMutation, type UserErrorShape } from '../lib/user-error.js';
import { ComplianceSettings } from '../nodes/compliance-settings.js';
import {
  getComplianceSettings,
  updateComplianceSettings,
  type BetaComplianceSettings,
} from '../../upstream/resources/organization-controls.js';
import { resultPayload } from '../lib/payload.js';

const ComplianceStateInput = builder.enumType('ComplianceStateInput', {
  description: 'The state to put the Compliance API in.',
  values: {
    ENABLED: { value: 'enabled', description: 'Turn the Compliance API on.' },
    DISABLED: { value: 'disabled', description: 'Turn the Compliance API off.' },
  } as const,
});

interface CompliancePayload {
  result: BetaComplianceSettings | null;
  userErrors: UserErrorShape[];
}

builder.relayMutationField(
  'updateComplianceSettings',
  {
    description: 'Turns the organization’s Compliance API on or off.',
    inputFields: (t) => ({
      state: t.field({
        type: ComplianceStateInput,
        required: true,
        description: 'ENABLED or DISABLED; setting the current state again changes nothing.',
      }),
    }),
  },
  {
    extensions: costExtension({ kind: 'request' }),
    authScopes: { complianceWrite: true },
    description:
      'Updates the organization’s Compliance Settings (POST /v1/organizations/compliance_settings). Enabling turns on the Compliance API and the capture of activity events; disabling turns both off, until a later ENABLED or a provisioning step that enables Access Transparency (which enables the Compliance API again).',
    resolve: async (_root, { input }, ctx): Promise<CompliancePayload> =>
      runMutation(
        { body: { state: ['input', 'state'] } },
        () => updateComplianceSettings(ctx.api, { type: input.state }),
        {
          settle: async () => {
            const settings = await getComplianceSettings(ctx.api);
            return settings.state.type === input.state ? settings : null;
          },
        },
      ),
  },
  resultPayload(
    'updateComplianceSettings',
    'complianceSettings',
    ComplianceSettings,
    'The settings as they now are; null when nothing changed.',
  ),
);
