import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { Organization } from './organization.js';
import {
  getComplianceSettings,
  type BetaComplianceSettings,
} from '../../upstream/resources/organization-controls.js';

/*
 * The organization's Compliance Settings (GET /v1/organizations/compliance_settings): a singleton,
 * one per organization and addressed without an id, so an object below Organization rather than
 * a Node. An organization with a parent reads the state inherited from its parent.
 */

export const ComplianceState = openEnum('ComplianceState', 'Whether a compliance feature is on.', {
  enabled: 'On.',
  disabled: 'Off.',
});

export const ComplianceSettings = builder
  .objectRef<BetaComplianceSettings>('ComplianceSettings')
  .implement({
    description:
      'The organization’s Compliance Settings: whether the Compliance API is enabled (and with it the capture of organization activity events).',
    fields: (t) => ({
      ...enumFieldPair(t, 'state', ComplianceState, (settings) => settings.state.type, {
        value: 'Whether the Compliance API is enabled.',
        raw: 'The state exactly as the Admin API reports it.',
      }),
      isEnabled: t.boolean({
        description: 'Whether the Compliance API is enabled (state is ENABLED).',
        resolve: (settings) => settings.state.type === 'enabled',
      }),
      ...enumFieldPair(
        t,
        'accessTransparency',
        ComplianceState,
        (settings) => settings.access_transparency?.type,
        {
          value:
            'Whether Access Transparency is on (read-only); null when the Admin API does not report it (it does only with the efs-2026-10-01 beta, to organizations it is available to).',
          raw: 'The Access Transparency state exactly as the Admin API reports it.',
        },
      ),
    }),
  });

builder.objectField(Organization, 'complianceSettings', (t) =>
  t.field({
    type: ComplianceSettings,
    nullable: true,
    description:
      'The organization’s Compliance Settings (GET /v1/organizations/compliance_settings).',
    extensions: costExtension({ kind: 'request' }),
    resolve: (_organization, _args, ctx) => getComplianceSettings(ctx.api),
  }),
);
