import { isId } from '../../domain/ids.js';
import { costExtension } from '../cost/estimate.js';
import { builder } from '../builder.js';
import { badUserInput } from '../lib/errors.js';
import { checkIdArgument } from '../lib/lookup.js';
import { enumFieldPair, isKnown, openEnum } from '../lib/open-enum.js';
import { DateTime } from '../lib/scalars.js';
import { resolveReportConnection, type ReportPageSizes } from '../lib/token-paging.js';
import { Organization } from './organization.js';
import {
  PLUGINS_NOT_ENABLED_NOTE,
  PluginInstallationPreference,
  PluginOwner,
  PluginOwnerType,
} from './plugin-common.js';
import {
  listPluginMarketplaces,
  validatePluginMarketplaceRepository,
  type PluginMarketplace as AdminPluginMarketplace,
  type PluginMarketplaceListQuery,
  type PluginValidationReport,
} from '../../upstream/resources/plugins.js';

/*
 * Plugin marketplaces (marketplace_…): where the organization's and its members' plugins live,
 * uploaded (`manual`) or synchronized from a Git repository. Their plugins are on
 * `PluginMarketplace.plugins` (src/graphql/nodes/plugin.ts); the one mutation, the default
 * installation setting, is in src/graphql/mutations/plugin-marketplaces.ts.
 */

export const PluginMarketplaceSource = openEnum(
  'PluginMarketplaceSource',
  'Where a plugin marketplace’s plugins come from.',
  {
    manual: 'They are uploaded.',
    github: 'They are synchronized from a GitHub repository; nothing can be uploaded.',
    gitlab: 'They are synchronized from a GitLab repository; nothing can be uploaded.',
    public_git: 'They are synchronized from a public Git repository; nothing can be uploaded.',
    directory: 'Anthropic’s own catalog (never listed by the Admin API).',
  },
);

export const PluginMarketplaceSyncStatus = openEnum(
  'PluginMarketplaceSyncStatus',
  'The outcome of a plugin marketplace’s most recent synchronization from its repository.',
  {
    success: 'It synchronized.',
    in_progress: 'A synchronization is running.',
    failed_content: 'The repository’s content was refused.',
    failed_transient: 'It failed for a passing reason; a later one may succeed.',
    failed_auth: 'The repository could not be read with the credentials it was connected with.',
    failed_limits: 'The content is over a limit.',
  },
);

export const PluginMarketplace = builder.objectRef<AdminPluginMarketplace>('PluginMarketplace');

builder.node(PluginMarketplace, {
  description:
    'A plugin marketplace: a collection of plugins the organization or one member owns, uploaded or synchronized from a Git repository.',
  id: { resolve: (marketplace) => marketplace.id },
  isTypeOf: (value) => (value as { type?: unknown }).type === 'plugin_marketplace',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.pluginMarketplaces.load(id)),
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'Its name, fixed for its lifetime.',
    }),
    owner: t.field({
      type: PluginOwner,
      description: 'The organization, or the member whose personal marketplace it is.',
      resolve: (marketplace) => marketplace.owner,
    }),
    ...enumFieldPair(t, 'source', PluginMarketplaceSource, (marketplace) => marketplace.source, {
      value: 'Where its plugins come from.',
      raw: 'The source exactly as the Admin API reports it, also when `source` is UNKNOWN.',
    }),
    ...enumFieldPair(
      t,
      'defaultInstallationPreference',
      PluginInstallationPreference,
      (marketplace) => marketplace.default_installation_preference,
      {
        value:
          'The organization-wide installation setting of each of its plugins that has none of its own; null for a member’s personal marketplace.',
        raw: 'The default exactly as the Admin API reports it, also when `defaultInstallationPreference` is UNKNOWN.',
      },
    ),
    ...enumFieldPair(t, 'syncStatus', PluginMarketplaceSyncStatus, (m) => m.sync_status, {
      value:
        'The outcome of its most recent synchronization; null until one is attempted (always for a MANUAL one).',
      raw: 'The status exactly as the Admin API reports it, also when `syncStatus` is UNKNOWN.',
    }),
    lastSyncEndedAt: t.field({
      type: DateTime,
      nullable: true,
      description:
        'When the most recent synchronization attempt ended, whatever its outcome; null for a marketplace not synchronized from a repository.',
      resolve: (marketplace) => marketplace.last_sync_ended_at,
    }),
    lastSyncReadSha: t.string({
      nullable: true,
      description:
        'The commit the last synchronization attempt that reached the repository read; null until one has, and for a marketplace not synchronized from a repository.',
      resolve: (marketplace) => marketplace.last_sync_read_sha,
    }),
    createdAt: t.field({
      type: DateTime,
      description: 'When the marketplace was created.',
      resolve: (marketplace) => marketplace.created_at,
    }),
  }),
});

export const PluginMarketplaceConnection = builder.connectionObject(
  {
    type: PluginMarketplace,
    name: 'PluginMarketplaceConnection',
    description: 'A page of plugin marketplaces. Pages forward only (`first`/`after`).',
  },
  { name: 'PluginMarketplaceEdge', description: 'A plugin marketplace and its cursor.' },
);

const MARKETPLACE_PAGES: ReportPageSizes = {
  defaultSize: 20,
  maxSize: 1000,
  unit: 'marketplace',
  list: 'plugin marketplace list',
};

builder.objectField(Organization, 'pluginMarketplaces', (t) =>
  t.connection(
    {
      type: PluginMarketplace,
      description: `The plugin marketplaces of the organization and of its members (GET /v1/organizations/plugin_marketplaces); Anthropic’s catalog is not listed. \`first\` is 1–1000 (default 20); forward only. ${PLUGINS_NOT_ENABLED_NOTE}`,
      extensions: costExtension({ kind: 'connection' }),
      nullable: true,
      args: {
        ownerType: t.arg({
          type: PluginOwnerType.ref,
          description: 'Only the organization’s marketplaces (ORGANIZATION) or members’ (USER).',
        }),
        source: t.arg({
          type: PluginMarketplaceSource.ref,
          description: 'Only marketplaces with this source.',
        }),
      },
      resolve: async (_organization, args, ctx) => {
        if (args.ownerType != null && !isKnown(args.ownerType)) {
          throw badUserInput('`ownerType` cannot be UNKNOWN.', { argumentName: 'ownerType' });
        }
        if (args.source != null && !isKnown(args.source)) {
          throw badUserInput('`source` cannot be UNKNOWN.', { argumentName: 'source' });
        }
        const base: PluginMarketplaceListQuery = {
          ...(args.ownerType != null && isKnown(args.ownerType)
            ? { owner_type: args.ownerType }
            : {}),
          ...(args.source != null && isKnown(args.source) ? { source: args.source } : {}),
        };
        const connection = await resolveReportConnection(args, base, MARKETPLACE_PAGES, (query) =>
          listPluginMarketplaces(ctx.api, query),
        );
        for (const { node } of connection.edges) {
          ctx.loaders.pluginMarketplaces.prime(node.id, node);
        }
        return connection;
      },
    },
    PluginMarketplaceConnection,
  ),
);

builder.queryField('pluginMarketplace', (t) =>
  t.field({
    type: PluginMarketplace,
    nullable: true,
    description:
      'A plugin marketplace by id; null when no such marketplace exists (also while the organization has no Plugins API: the Admin API answers both with 404).',
    extensions: costExtension({ kind: 'reference', collection: 'plugins' }),
    args: {
      id: t.arg.id({ required: true, description: 'The plugin marketplace id (marketplace_…).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.loaders.pluginMarketplaces.load(checkIdArgument('pluginMarketplace', args.id, 'id')),
  }),
);

type PluginError = PluginValidationReport['plugin_errors'][number];
type PluginWarnings = PluginValidationReport['plugin_warnings'][number];
type PluginWarning = PluginWarnings['warnings'][number];

const PluginValidationError = builder
  .objectRef<PluginError>('PluginMarketplaceValidationPluginError')
  .implement({
    description: 'A plugin a synchronization would skip entirely, and why.',
    fields: (t) => ({
      name: t.exposeString('name', {
        description: 'The plugin’s name, as its entry in marketplace.json declares it.',
      }),
      error: t.exposeString('error', { description: 'Why it would be skipped.' }),
      errorCode: t.exposeString('error_code', {
        description: 'A stable identifier for the reason: the value to branch on.',
      }),
    }),
  });

const PluginValidationWarning = builder
  .objectRef<PluginWarning>('PluginMarketplaceValidationWarning')
  .implement({
    description: 'A part of a plugin a synchronization would leave out.',
    fields: (t) => ({
      errorCode: t.exposeString('error_code', {
        description: 'A stable identifier for the kind of warning.',
      }),
      message: t.exposeString('message', { description: 'What would be left out, and why.' }),
    }),
  });

const PluginValidationWarnings = builder
  .objectRef<PluginWarnings>('PluginMarketplaceValidationPluginWarnings')
  .implement({
    description: 'A plugin that would synchronize with some of its contents left out.',
    fields: (t) => ({
      name: t.exposeString('name', {
        description: 'The plugin’s name, as its entry in marketplace.json declares it.',
      }),
      warnings: t.field({
        type: [PluginValidationWarning],
        description: 'The parts a synchronization would leave out.',
        resolve: (entry) => entry.warnings,
      }),
    }),
  });

export const PluginMarketplaceValidationReport = builder
  .objectRef<PluginValidationReport>('PluginMarketplaceValidationReport')
  .implement({
    description:
      'Whether plugin marketplace content would synchronize into claude.ai: a report, not a stored object.',
    fields: (t) => ({
      valid: t.exposeBoolean('valid', {
        description:
          'True when marketplace.json is well-formed and no plugin would be skipped; warnings never make it false.',
      }),
      commitSha: t.string({
        nullable: true,
        description: 'The full SHA of the commit that was read; null when none was.',
        resolve: (report) => report.commit_sha,
      }),
      ref: t.string({
        nullable: true,
        description:
          'The branch that was read by name: the one asked for, or the one a synchronization is set to read; null when the default branch or a commit was read.',
        resolve: (report) => report.ref,
      }),
      manifestError: t.string({
        nullable: true,
        description:
          'Why nothing could be validated (the repository could not be read, or marketplace.json is missing, malformed or over a limit); null otherwise.',
        resolve: (report) => report.manifest_error,
      }),
      manifestErrorCode: t.string({
        nullable: true,
        description: 'A stable identifier for `manifestError`; null when that is.',
        resolve: (report) => report.manifest_error_code,
      }),
      totalPluginCount: t.exposeInt('total_plugin_count', {
        description: 'How many plugins marketplace.json declares; 0 when it could not be read.',
      }),
      pluginErrors: t.field({
        type: [PluginValidationError],
        description: 'The plugins a synchronization would skip entirely.',
        resolve: (report) => report.plugin_errors,
      }),
      pluginWarnings: t.field({
        type: [PluginValidationWarnings],
        description: 'The plugins that would synchronize with some of their contents left out.',
        resolve: (report) => report.plugin_warnings,
      }),
    }),
  });

builder.queryField('pluginMarketplaceRepositoryValidation', (t) =>
  t.field({
    type: PluginMarketplaceValidationReport,
    nullable: true,
    description: `Checks whether a plugin marketplace in a public GitHub repository would synchronize into claude.ai, without connecting or storing anything (POST /v1/organizations/plugin_marketplaces/validate_repository). A repository that is missing, private, or has no such branch or commit is reported (\`valid: false\`), not refused. The Admin API reads GitHub anonymously for it; the shared read cache never keeps the report (the repository can change at any moment), though the whole-result cache, when on, answers an identical query again within its TTL. ${PLUGINS_NOT_ENABLED_NOTE}`,
    extensions: costExtension({ kind: 'request' }),
    args: {
      repositoryUrl: t.arg.string({
        required: true,
        description:
          'The repository, such as `https://github.com/example-org/example-marketplace`.',
      }),
      ref: t.arg.string({
        description:
          'A branch or commit SHA to read; by default the branch a synchronization of this repository reads, else the default branch.',
      }),
    },
    resolve: (_root, args, ctx) =>
      validatePluginMarketplaceRepository(ctx.api, args.repositoryUrl, args.ref ?? null),
  }),
);

/** Whether an id names a plugin marketplace (for references that may hold something else). */
export const isMarketplaceId = (id: string) => isId('pluginMarketplace', id);

// A federation entity keyed by its id, resolved through the request's loaders.
builder.asEntity(PluginMarketplace, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (representation, ctx) => {
    const id = typeof representation.id === 'string' ? representation.id : '';
    if (!isMarketplaceId(id)) return null;
    const found = await ctx.loaders.pluginMarketplaces.load(id);
    return found && { ...found };
  },
});
