import { describe as group, expect, it } from 'vitest';
import { RCostReportDocument, RUsageReportDocument } from '../generated/graphql.js';
import { API, upstreamGet, useHarness } from './helpers.js';

/*
 * The range of the usage and cost reports means what the API reference says: "time buckets that
 * start on or after starting_at (snapped to the start of the minute/hour/day in UTC)" and "time
 * buckets that end before ending_at" — a bucket ending exactly at ending_at is included
 * (REPORTS.md §1.5), one that straddles it is not. Without ending_at the report runs up to now.
 */

const harness = useHarness();
const USAGE = `${API}/usage_report/messages`;
const COST = `${API}/cost_report`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON
const starts = (body: any): string[] => body.data.map((bucket: any) => bucket.starting_at);

group('the sandbox’s ending_at', () => {
  it('returns the buckets that end at or before it, never one that straddles it', async () => {
    const h = harness();
    const daily = await upstreamGet(
      h.sandbox,
      `${USAGE}?starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-05T12:00:00Z&bucket_width=1d&limit=31`,
    );
    expect(daily.status).toBe(200);
    expect(starts(daily.body)).toEqual([
      '2026-10-01T00:00:00Z',
      '2026-10-02T00:00:00Z',
      '2026-10-03T00:00:00Z',
      '2026-10-04T00:00:00Z',
    ]);
    expect(daily.body.data.at(-1).ending_at).toBe('2026-10-05T00:00:00Z');
    const aligned = await upstreamGet(
      h.sandbox,
      `${COST}?starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-05T00:00:00Z&limit=31`,
    );
    expect(starts(aligned.body)).toHaveLength(4);
    const hourly = await upstreamGet(
      h.sandbox,
      `${USAGE}?starting_at=2026-10-05T10:30:00Z&ending_at=2026-10-05T13:59:59Z&bucket_width=1h&limit=10`,
    );
    expect(starts(hourly.body)).toEqual([
      '2026-10-05T10:00:00Z',
      '2026-10-05T11:00:00Z',
      '2026-10-05T12:00:00Z',
    ]);
  });

  it('gives no bucket when none ends within the range, and pages stop at the last whole one', async () => {
    const h = harness();
    const none = await upstreamGet(
      h.sandbox,
      `${USAGE}?starting_at=2026-10-05T10:00:00Z&ending_at=2026-10-05T10:30:00Z&bucket_width=1h`,
    );
    expect(none.body).toEqual({ data: [], has_more: false, next_page: null });
    const first = await upstreamGet(
      h.sandbox,
      `${COST}?starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-04T06:00:00Z&limit=2`,
    );
    expect(first.body.has_more).toBe(true);
    const second = await upstreamGet(
      h.sandbox,
      `${COST}?starting_at=2026-10-01T00:00:00Z&ending_at=2026-10-04T06:00:00Z&limit=2&page=${encodeURIComponent(first.body.next_page)}`,
    );
    expect(starts(second.body)).toEqual(['2026-10-03T00:00:00Z']);
    expect(second.body.has_more).toBe(false);
  });
});

group('the gateway’s endingAt', () => {
  it('is sent as ending_at and means the same: buckets ending at or before it', async () => {
    const h = harness();
    const usage = await h.client.request(RUsageReportDocument, {
      startingAt: '2026-10-01T00:00:00Z',
      endingAt: '2026-10-05T12:00:00Z',
      first: 31,
    });
    expect(usage.organization.messagesUsageReport!.edges.map((edge) => edge.node.endingAt)).toEqual(
      [
        '2026-10-02T00:00:00Z',
        '2026-10-03T00:00:00Z',
        '2026-10-04T00:00:00Z',
        '2026-10-05T00:00:00Z',
      ],
    );
    const cost = await h.client.request(RCostReportDocument, {
      startingAt: '2026-10-01T00:00:00Z',
      endingAt: '2026-10-03T00:00:00Z',
      first: 31,
    });
    expect(cost.organization.costReport!.edges.map((edge) => edge.node.startingAt)).toEqual([
      '2026-10-01T00:00:00Z',
      '2026-10-02T00:00:00Z',
    ]);
    expect(h.upstream().map((r) => r.query['ending_at'])).toEqual([
      ['2026-10-05T12:00:00Z'],
      ['2026-10-03T00:00:00Z'],
    ]);
  });

  it('describes every range argument with the API reference’s meaning', async () => {
    const h = harness();
    const data = await h.client.request<{
      __type: { fields: { name: string; args: { name: string; description: string }[] }[] };
    }>(`{ __type(name: "Organization") { fields { name args { name description } } } }`);
    const args = Object.fromEntries(
      data.__type.fields.flatMap((field) =>
        field.args.map((arg) => [`${field.name}.${arg.name}`, arg.description]),
      ),
    );
    for (const report of ['messagesUsageReport', 'costReport']) {
      expect(args[`${report}.endingAt`]).toMatch(/end at or before this instant/);
      expect(args[`${report}.endingAt`]).not.toMatch(/starting before/i);
      expect(args[`${report}.startingAt`]).toMatch(/start at or after this instant/);
    }
  });
});
