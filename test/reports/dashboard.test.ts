import { describe as group, expect, it } from 'vitest';
import { RDashboardDocument } from '../generated/graphql.js';
import { API, useHarness } from './helpers.js';

const harness = useHarness();

group('the README’s dashboard query', () => {
  it('combines cost per workspace, usage per model and the workspaces’ limits and usage', async () => {
    const h = harness();
    const data = await h.client.request(RDashboardDocument, {
      since: '2026-10-01T00:00:00Z',
      until: '2026-10-08T00:00:00Z',
    });
    const costReport = data.organization.costReport!;
    const messagesUsageReport = data.organization.messagesUsageReport!;
    const workspaces = data.organization.workspaces!;
    expect(costReport.nodes).toHaveLength(7);
    expect(messagesUsageReport.nodes).toHaveLength(7);
    const day = costReport.nodes[0]!;
    expect(day.totals[0]?.currency).toBe('USD');
    const named = day.results.filter((row) => row.workspace !== null);
    expect(named.length).toBeGreaterThan(0);
    expect(day.results.some((row) => row.isDefaultWorkspace)).toBe(true);
    expect(messagesUsageReport.nodes[0]!.results.map((row) => row.model)).toEqual(
      [...messagesUsageReport.nodes[0]!.results.map((row) => row.model)].sort(),
    );
    expect(workspaces!.nodes).toHaveLength(3);
    for (const workspace of workspaces!.nodes) expect(workspace.usage!.nodes).toHaveLength(7);
    // Cost, usage, the workspace page, then a usage report and rate limits per workspace, plus
    // the workspace lookups of the cost rows.
    const reports = h.upstream().filter((r) => r.path.startsWith(`${API}/usage_report`));
    expect(reports).toHaveLength(4);
  });
});
