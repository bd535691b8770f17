import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { enumFieldPair, openEnum } from '../lib/open-enum.js';
import { EmailAddress } from '../lib/scalars.js';
import { RbacGroup } from './rbac-group.js';
import { User } from './user.js';
import type {
  PluginActor as AdminPluginActor,
  PluginComponent as AdminPluginComponent,
  PluginContentScan as AdminPluginContentScan,
  PluginOwner as AdminPluginOwner,
  PluginTarget as AdminPluginTarget,
} from '../../upstream/resources/plugins.js';

/*
 * What plugins, their versions and plugin marketplaces share (beta `ce-plugins-2026-09-01`):
 * installation preferences, owners, the actors that created them, the targets of shares and
 * installation settings, components and content scans.
 */

export const PLUGINS_NOT_ENABLED_NOTE =
  'Fails alone with NOT_ENABLED when the organization has no Plugins API (beta `ce-plugins-2026-09-01`: Claude Enterprise only, not with HIPAA readiness).';

export const PluginInstallationPreference = openEnum(
  'PluginInstallationPreference',
  'How a plugin is offered to the members an installation setting applies to.',
  {
    required: 'Installed for them, and they cannot remove it.',
    auto_install: 'Installed for them; they can remove it.',
    available: 'Offered to them to install.',
    not_available: 'Not offered to them.',
  },
);

export const PluginOwnerType = openEnum(
  'PluginOwnerType',
  'Who owns a plugin or a plugin marketplace.',
  {
    organization: 'The organization: it lives in one of the organization’s plugin marketplaces.',
    user: 'A member: it lives in that member’s personal plugin marketplace.',
  },
);

export const PluginReach = openEnum(
  'PluginReach',
  'How far a plugin version reaches, as the Admin API classifies it when the version is stored.',
  {
    remote: 'It declares an MCP server or a CLI, or something that counts as one.',
    privileged:
      'Not REMOTE, but it declares a hook, monitor, language server, workflow or settings, or pre-approves tools.',
    contained: 'Neither REMOTE nor PRIVILEGED.',
  },
);

export const PluginComponentType = openEnum(
  'PluginComponentType',
  'The kind of a component a plugin version declares.',
  {
    agent: 'An agent.',
    cli: 'A CLI executable.',
    command: 'A command.',
    hook: 'A hook (named by the event it runs on).',
    mcp_server: 'An MCP server.',
    skill: 'A skill.',
  },
);

export const PluginContentScanStatus = openEnum(
  'PluginContentScanStatus',
  'Where a plugin version’s content scan stands.',
  {
    processing: 'A scan is running.',
    completed: 'The scan ran to completion; `assessment` is its verdict.',
    errored: 'The scan could not run (or its outcome cannot be read now); `reason` says why.',
  },
);

export const PluginContentScanAssessment = openEnum(
  'PluginContentScanAssessment',
  'The verdict of a completed content scan.',
  {
    pass: 'Nothing found.',
    warn: 'A finding that does not block serving (possibly a FAIL that was allowed in claude.ai).',
    fail: 'A finding that blocks serving the version.',
    unknown: [
      'UNCLASSIFIED',
      'The scan completed without a verdict; the version cannot be served.',
    ],
  },
);

export const PluginTargetType = openEnum(
  'PluginTargetType',
  'Whom a plugin share or installation setting is for.',
  {
    organization: 'Every member of the organization.',
    rbac_group: 'The members of one RBAC group.',
    organization_member: 'One member of the organization (shares only).',
  },
);

export const PluginActorType = openEnum(
  'PluginActorType',
  'What kind of actor created a plugin or a plugin version.',
  {
    user_actor: 'A member of the organization, in claude.ai.',
    api_actor: 'An Admin API key.',
  },
);

export const PluginOwner = builder.objectRef<AdminPluginOwner>('PluginOwner').implement({
  description: 'Who owns a plugin or a plugin marketplace: the organization, or one member.',
  fields: (t) => ({
    ...enumFieldPair(t, 'ownerType', PluginOwnerType, (owner) => owner.type, {
      value: 'The organization or a member.',
      raw: 'The owner type exactly as the Admin API reports it, also when `ownerType` is UNKNOWN.',
    }),
    userId: t.id({
      nullable: true,
      description: 'The member’s user id (user_…) for a member-owned one; null otherwise.',
      resolve: (owner) => (owner.type === 'user' ? owner.user_id : null),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The member, for a member-owned one that is still a member; null otherwise.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (owner, _args, ctx) =>
        owner.type === 'user' ? ctx.loaders.users.load(owner.user_id) : null,
    }),
  }),
});

export const PluginActor = builder.objectRef<AdminPluginActor>('PluginActor').implement({
  description: 'Who created a plugin or uploaded a plugin version: a member, or an Admin API key.',
  fields: (t) => ({
    ...enumFieldPair(t, 'actorType', PluginActorType, (actor) => actor.type, {
      value: 'A member or an Admin API key.',
      raw: 'The actor type exactly as the Admin API reports it, also when `actorType` is UNKNOWN.',
    }),
    userId: t.id({
      nullable: true,
      description: 'The member’s user id (user_…) when a member acted; null otherwise.',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.user_id : null),
    }),
    emailAddress: t.field({
      type: EmailAddress,
      nullable: true,
      description:
        'The member’s email address; null for a key, and for a member the Admin API no longer names (one who left).',
      resolve: (actor) => (actor.type === 'user_actor' ? actor.email_address : null),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The member, when a member acted and still is one; null otherwise.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (actor, _args, ctx) =>
        actor.type === 'user_actor' ? ctx.loaders.users.load(actor.user_id) : null,
    }),
    apiKeyId: t.id({
      nullable: true,
      description: 'The Admin API key’s id when a key acted; null otherwise.',
      resolve: (actor) => (actor.type === 'api_actor' ? actor.api_key_id : null),
    }),
  }),
});

export const PluginTarget = builder.objectRef<AdminPluginTarget>('PluginTarget').implement({
  description:
    'Whom a plugin share or installation setting is for: every member, an RBAC group, or one member.',
  fields: (t) => ({
    ...enumFieldPair(t, 'targetType', PluginTargetType, (target) => target.type, {
      value: 'Every member, an RBAC group, or one member.',
      raw: 'The target type exactly as the Admin API reports it, also when `targetType` is UNKNOWN.',
    }),
    rbacGroupId: t.id({
      nullable: true,
      description: 'The RBAC group’s id (rbac_group_…) for a group target; null otherwise.',
      resolve: (target) => (target.type === 'rbac_group' ? target.rbac_group_id : null),
    }),
    rbacGroup: t.field({
      type: RbacGroup,
      nullable: true,
      description: 'The RBAC group, for a group target that still exists; null otherwise.',
      extensions: costExtension({ kind: 'reference', collection: 'rbacGroups' }),
      resolve: (target, _args, ctx) =>
        target.type === 'rbac_group' ? ctx.loaders.rbacGroups.load(target.rbac_group_id) : null,
    }),
    userId: t.id({
      nullable: true,
      description: 'The member’s user id (user_…) for a member target; null otherwise.',
      resolve: (target) => (target.type === 'organization_member' ? target.user_id : null),
    }),
    user: t.field({
      type: User,
      nullable: true,
      description: 'The member, for a member target who still is one; null otherwise.',
      extensions: costExtension({ kind: 'reference', collection: 'users' }),
      resolve: (target, _args, ctx) =>
        target.type === 'organization_member' ? ctx.loaders.users.load(target.user_id) : null,
    }),
  }),
});

export const PluginComponent = builder
  .objectRef<AdminPluginComponent>('PluginComponent')
  .implement({
    description:
      'Something a plugin version contains: a skill, command, agent, hook, MCP server or CLI.',
    fields: (t) => ({
      name: t.exposeString('name', {
        description:
          'Its name: a skill’s, command’s or agent’s name, an MCP server’s key in the manifest, the event a hook runs on, or a CLI’s executable.',
      }),
      ...enumFieldPair(t, 'componentType', PluginComponentType, (component) => component.type, {
        value: 'The kind of component.',
        raw: 'The kind exactly as the Admin API reports it, also when `componentType` is UNKNOWN.',
      }),
      description: t.string({
        nullable: true,
        description: 'What it declares about itself; always null for MCP servers, hooks and CLIs.',
        resolve: (component) => component.description,
      }),
    }),
  });

export const PluginContentScan = builder
  .objectRef<AdminPluginContentScan>('PluginContentScan')
  .implement({
    description:
      'A plugin version’s content scan: the newest completed one, even while a later scan runs.',
    fields: (t) => ({
      ...enumFieldPair(t, 'status', PluginContentScanStatus, (scan) => scan.status, {
        value: 'Whether the scan is running, completed or errored.',
        raw: 'The status exactly as the Admin API reports it, also when `status` is UNKNOWN.',
      }),
      ...enumFieldPair(t, 'assessment', PluginContentScanAssessment, (scan) => scan.assessment, {
        value: 'The verdict; null unless `status` is COMPLETED.',
        raw: 'The verdict exactly as the Admin API reports it, also when `assessment` is UNKNOWN.',
      }),
      reason: t.string({
        nullable: true,
        description:
          'For WARN or FAIL, the mechanism behind it (`credential-exposure`, …); for ERRORED, why there is no verdict (`scan-invalid-archive`, `scan-did-not-finish`, `scan-unavailable`); null on PASS and while a scan runs.',
        resolve: (scan) => scan.reason,
      }),
    }),
  });
