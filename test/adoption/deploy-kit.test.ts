import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The deployment kit says what the gateway needs: compose.yaml (two replicas and Redis, with
 * health checks), Kubernetes manifests (probes on /ready and /health, resources, the key in a
 * Secret), and .env.example listing every setting the configuration reads, with its default.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

interface ComposeService {
  image?: string;
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway'));

  it('runs two gateway replicas sharing one Redis, each with a health check on /ready', () => {
    expect(gateways).toHaveLength(2);
    expect(compose.services['redis']?.healthcheck?.test).toContain('ping');
    expect(compose.services['postgres']?.healthcheck?.test).toContain('pg_isready');
    for (const [, service] of gateways) {
      expect(service.environment?.['REDIS_URL']).toMatch(/^redis:\/\/redis:6379/);
      expect(service.depends_on?.['redis']?.condition).toBe('service_healthy');
      // One database for the audit trail and bulk jobs, shared by the replicas.
      expect(service.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(service.depends_on?.['postgres']?.condition).toBe('service_healthy');
      expect(service.healthcheck?.test.join(' ')).toContain('/ready');
      expect(service.stop_grace_period).toBeDefined();
    }
  });
});

describe('Kubernetes manifests', () => {
  const documents = readdirSync(`${ROOT}deploy/k8s`)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => doc.toJS()))
    .filter(Boolean) as {
    kind: string;
    metadata: { name: string };
    spec?: unknown;
    data?: unknown;
  }[];
  const find = (kind: string, name = 'admin-graph') =>
    documents.find((doc) => doc.kind === kind && doc.metadata.name === name);

  it('has a Deployment with readiness on /ready, liveness on /health, requests and limits', () => {
    const deployment = find('Deployment') as unknown as {
      spec: {
        replicas: number;
        template: {
          spec: {
            terminationGracePeriodSeconds: number;
            containers: {
              readinessProbe: { httpGet: { path: string } };
              livenessProbe: { httpGet: { path: string } };
              resources: { requests: object; limits: object };
              envFrom: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
            }[];
          };
        };
      };
    };
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.readinessProbe.httpGet.path).toBe('/ready');
    expect(container?.livenessProbe.httpGet.path).toBe('/health');
    expect(container?.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container?.resources.limits).toMatchObject({ memory: expect.any(String) });
    expect(container?.envFrom).toContainEqual({ secretRef: { name: 'admin-graph' } });
    expect(container?.envFrom).toContainEqual({ configMapRef: { name: 'admin-graph' } });
    // Longer than the drain (SHUTDOWN_TIMEOUT_MS, 10 s by default).
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
  });

  it('keeps the key in a Secret and the rest in a ConfigMap, behind a Service', () => {
    expect(find('Secret')).toMatchObject({
      stringData: { ANTHROPIC_ADMIN_KEY: expect.any(String) },
    });
    expect(JSON.stringify(find('ConfigMap'))).not.toContain('ANTHROPIC_ADMIN_KEY');
    expect(find('Service')).toBeDefined();
  });
});

describe('.env.example', () => {
  const example = read('.env.example');
  const listed = new Map(
    [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  // Every variable the configuration schema reads.
  const variables = [...read('src/config/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)]
    .map((m) => m[1]!)
    .filter((name) => name !== 'NODE_ENV');

  it('lists every setting', () => {
    expect(variables.length).toBeGreaterThan(30);
    expect(variables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('gives the defaults the configuration uses', async () => {
    const { loadConfig } = await import('../../src/config/config.js');
    const config = loadConfig({});
    expect(listed.get('PORT')).toBe(String(config.port));
    expect(listed.get('CACHE_TTL_SECONDS')).toBe(String(config.cacheTtlSeconds));
    expect(listed.get('UPSTREAM_RATE_LIMIT_PER_MINUTE')).toBe(
      String(config.upstreamRateLimitPerMinute),
    );
    expect(listed.get('UPSTREAM_TIMEOUT_MS')).toBe(String(config.upstreamTimeoutMs));
    expect(listed.get('MAX_QUERY_DEPTH')).toBe(String(config.limits.maxDepth));
    expect(listed.get('SHUTDOWN_TIMEOUT_MS')).toBe(String(config.shutdownTimeoutMs));
  });
});
