import { openEnum } from './open-enum.js';

export const OrganizationRole = openEnum(
  'OrganizationRole',
  "A member's role in the organization.",
  {
    user: 'Can use the Workbench (Playground).',
    developer: 'Can use the Workbench and manage API keys.',
    billing: 'Can use the Workbench and manage billing details.',
    admin: 'Everything above, plus user management. Cannot be assigned through the Admin API.',
    claude_code_user: 'Can use the Workbench and Claude Code.',
    managed: 'Claude Enterprise: permissions come from the custom roles of the member’s groups.',
    membership_admin: 'Claude Enterprise: manages members.',
    owner: 'Claude Enterprise: holds all admin permissions and can manage admins.',
    primary_owner: 'Claude Enterprise: the one owner of the organization.',
  },
);

export const WorkspaceRole = openEnum('WorkspaceRole', "A member's role in a workspace.", {
  workspace_user: 'Can use the Workbench in this workspace.',
  workspace_developer: 'Can create and manage API keys and use the API in this workspace.',
  workspace_restricted_developer:
    'Limited developer: API keys and the API, without session tracing views or file downloads.',
  workspace_admin: 'Full control of the workspace’s settings and members.',
  workspace_billing:
    'Can view the workspace’s billing. Inherited from the organization billing role; cannot be assigned by hand.',
});

export const ApiKeyStatus = openEnum('ApiKeyStatus', 'The state of an API key.', {
  active: 'The key works.',
  inactive: 'The key is switched off and can be switched on again.',
  archived: 'The key is revoked for good (also when its workspace was archived).',
  expired: 'The key passed its expiry time; it cannot be reactivated.',
});

export const InviteStatus = openEnum('InviteStatus', 'Where an invitation stands.', {
  pending: 'Sent and not yet accepted; it can be withdrawn.',
  accepted: 'The recipient joined the organization.',
  expired: 'Not accepted within 21 days.',
  deleted: 'Withdrawn. Withdrawn invites are found by id only, never in lists.',
});
